package io.warren.management.api;

import io.warren.management.metrics.ExpositionText;
import io.warren.management.metrics.PrometheusMetrics;
import io.warren.management.metrics.PrometheusMetrics.Endpoint;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.ConsumerInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Warren's three Prometheus endpoints against the metric families RabbitMQ 3.10's rabbitmq_prometheus
 * serves (test resource {@code rabbitmq-3.10-metric-families.txt}, scraped from a real node): every
 * family is there with the same type and label names. Left out: the {@code erlang_*} families of the
 * Erlang VM, which Warren does not run on (the JVM's figures are under {@code jvm_}).
 */
class MetricFamiliesTest {
    private static final String REFERENCE = "/rabbitmq-3.10-metric-families.txt";

    private record Reference(Map<String, Map<String, String[]>> byEndpoint, List<String> detailedFamilies) {
    }

    private FakeAdmin admin;
    private PrometheusMetrics metrics;

    @BeforeEach
    void broker() {
        admin = new FakeAdmin();
        admin.declareQueue("/", "q", true, false, Map.of());
        admin.declareQueue("/", "qq", true, false, Map.of("x-queue-type", "quorum"));
        admin.publish("/", "", "q", Map.of(), new byte[]{1});
        admin.publish("/", "", "q", Map.of(), new byte[]{2});
        admin.connections.add(new ConnectionInfo("127.0.0.1:5000 -> 127.0.0.1:5672", "/", "guest", "127.0.0.1", 5000,
                "127.0.0.1", 5672, "running", 1, 2047, 131072, 60, System.currentTimeMillis(), "PLAIN", Map.of()));
        admin.consumers.add(new ConsumerInfo("/", "q", "ctag", "c1", 1, "guest", "127.0.0.1", 1, true, false, 0, true,
                Map.of()));
        metrics = new PrometheusMetrics(admin);
    }

    @Test
    void everyRabbitMqFamilyIsThereWithItsTypeAndLabels() throws IOException {
        Reference ref = reference();
        metrics.render(); // telemetry reports the scrapes before: give it one
        Map<String, ExpositionText> warren = new LinkedHashMap<>();
        warren.put("/metrics", scrape(Endpoint.DEFAULT, List.of(), List.of()));
        warren.put("/metrics/per-object", scrape(Endpoint.PER_OBJECT, List.of(), List.of()));
        warren.put("/metrics/detailed", scrape(Endpoint.DETAILED, ref.detailedFamilies(), List.of()));
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (var endpoint : ref.byEndpoint().entrySet()) {
            Map<String, ExpositionText.Family> got = warren.get(endpoint.getKey()).families();
            for (var family : endpoint.getValue().entrySet()) {
                String name = family.getKey();
                String type = family.getValue()[0];
                String labels = family.getValue()[1];
                if (name.startsWith("erlang_")) {
                    continue;
                }
                ExpositionText.Family f = got.get(name);
                if (labels.equals("?")) { // RabbitMQ wrote no samples: Warren need not either
                    if (f != null && !f.type().equals(type)) {
                        problems.add(endpoint.getKey() + " " + name + ": type " + f.type() + ", RabbitMQ " + type);
                    }
                    continue;
                }
                compared++;
                if (f == null) {
                    problems.add(endpoint.getKey() + " " + name + ": missing");
                } else if (!f.type().equals(type)) {
                    problems.add(endpoint.getKey() + " " + name + ": type " + f.type() + ", RabbitMQ " + type);
                } else if (!labelSet(labels).equals(f.labels())) {
                    problems.add(endpoint.getKey() + " " + name + ": labels " + f.labels() + ", RabbitMQ " + labels);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(compared > 300, "compared only " + compared + " families");
    }

    /** RabbitMQ's own dashboards find every metric they query, on the default endpoint and per object. */
    @Test
    void everyMetricRabbitMqsDashboardsQueryIsThere() throws IOException {
        metrics.render();
        Set<String> byDefault = scrape(Endpoint.DEFAULT, List.of(), List.of()).families().keySet();
        Set<String> perObject = scrape(Endpoint.PER_OBJECT, List.of(), List.of()).families().keySet();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                MetricFamiliesTest.class.getResourceAsStream("/rabbitmq-3.10-dashboard-metrics.txt"),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String name = line.split(" ")[1];
                checked++;
                if (!byDefault.contains(name)) {
                    missing.add("/metrics " + line);
                }
                if (!perObject.contains(name)) {
                    missing.add("/metrics/per-object " + line);
                }
            }
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
        assertTrue(checked > 40, "checked only " + checked);
    }

    @Test
    void valuesComeFromTheBroker() {
        ExpositionText all = scrape(Endpoint.DEFAULT, List.of(), List.of());
        assertEquals(2.0, all.value("rabbitmq_queue_messages_ready"));
        assertEquals(2.0, all.value("rabbitmq_queues"));
        assertEquals(1.0, all.value("rabbitmq_connections"));
        assertEquals(1.0, all.value("rabbitmq_channels"));
        assertEquals(1.0, all.value("rabbitmq_consumers"));
        assertEquals(10.0, all.value("rabbitmq_global_messages_received_total{protocol=\"amqp091\"}"));
        assertEquals(8.0, all.value("rabbitmq_global_messages_routed_total{protocol=\"amqp091\"}"));
        assertEquals(10.0, all.value("rabbitmq_channel_messages_published_total"));
        assertEquals(4.0, all.value("rabbitmq_channel_messages_acked_total"));
        assertEquals(1.0, all.value("rabbitmq_identity_info{rabbitmq_cluster=\"warren@test\",rabbitmq_cluster_permanent_id="
                + "\"rabbitmq-cluster-id-" + java.util.UUID.nameUUIDFromBytes("warren@test".getBytes(StandardCharsets.UTF_8))
                + "\",rabbitmq_node=\"warren@test\"}"));
        assertTrue(all.value("rabbitmq_process_open_fds") > 0);
        assertTrue(all.value("rabbitmq_resident_memory_limit_bytes") > 0);

        admin.alarms.add("memory");
        ExpositionText perObject = scrape(Endpoint.PER_OBJECT, List.of(), List.of());
        assertEquals(2.0, perObject.value("rabbitmq_queue_messages_ready{queue=\"q\",vhost=\"/\"}"));
        assertEquals(0.0, perObject.value("rabbitmq_queue_messages_ready{queue=\"qq\",vhost=\"/\"}"));
        assertEquals(1.0, perObject.value("rabbitmq_connection_channels{channel=\"127.0.0.1:5000 -> 127.0.0.1:5672\"}"));
        assertEquals(0.0, perObject.value("rabbitmq_raft_term_total{queue=\"qq\",vhost=\"/\"}"));
        assertEquals(null, perObject.value("rabbitmq_raft_term_total{queue=\"q\",vhost=\"/\"}"), "q is no quorum queue");
        assertEquals(1.0, scrape(Endpoint.DEFAULT, List.of(), List.of()).value("rabbitmq_alarms_memory_used_watermark"));
    }

    @Test
    void aClusterNodeReportsOnlyTheQueuesItHosts() {
        admin.declareQueue("/", "elsewhere", true, false, Map.of());
        admin.publish("/", "", "elsewhere", Map.of(), new byte[]{3});
        admin.homes.put("elsewhere", "warren@other");
        admin.homes.put("q", "warren@test");
        ExpositionText perObject = scrape(Endpoint.PER_OBJECT, List.of(), List.of());
        assertEquals(2.0, perObject.value("rabbitmq_queue_messages_ready{queue=\"q\",vhost=\"/\"}"));
        assertEquals(null, perObject.value("rabbitmq_queue_messages_ready{queue=\"elsewhere\",vhost=\"/\"}"),
                "its own node reports it");
        ExpositionText all = scrape(Endpoint.DEFAULT, List.of(), List.of());
        assertEquals(2.0, all.value("rabbitmq_queues"), "q and qq; summed over the nodes each queue counts once");
        assertEquals(2.0, all.value("rabbitmq_queue_messages_ready"));
    }

    @Test
    void detailedWritesOnlyTheFamiliesAndVhostsAskedFor() {
        admin.declareQueue("secret", "hidden", false, false, Map.of());
        ExpositionText d = scrape(Endpoint.DETAILED, List.of("queue_coarse_metrics", "no_such_family"), List.of("/"));
        Set<String> names = new TreeSet<>(d.families().keySet());
        assertEquals(new TreeSet<>(List.of("rabbitmq_build_info", "rabbitmq_identity_info",
                "rabbitmq_detailed_queue_messages_ready", "rabbitmq_detailed_queue_messages_unacked",
                "rabbitmq_detailed_queue_messages", "rabbitmq_detailed_queue_process_reductions_total")),
                names.stream().filter(n -> !n.startsWith("telemetry_")).collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        assertEquals(2.0, d.value("rabbitmq_detailed_queue_messages_ready{queue=\"q\",vhost=\"/\"}"));
        assertEquals(null, d.value("rabbitmq_detailed_queue_messages_ready{queue=\"hidden\",vhost=\"secret\"}"));

        ExpositionText both = scrape(Endpoint.DETAILED, List.of("queue_consumer_count", "queue_metrics"), List.of());
        assertNotNull(both.value("rabbitmq_detailed_queue_consumers{queue=\"hidden\",vhost=\"secret\"}"));
    }

    private ExpositionText scrape(Endpoint endpoint, List<String> families, List<String> vhosts) {
        return new ExpositionText(new String(metrics.render(endpoint, families, vhosts), StandardCharsets.UTF_8));
    }

    private static Set<String> labelSet(String labels) {
        return labels.equals("-") ? Set.of() : new TreeSet<>(Arrays.asList(labels.split(",")));
    }

    private static Reference reference() throws IOException {
        Map<String, Map<String, String[]>> byEndpoint = new LinkedHashMap<>();
        List<String> detailed = List.of();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                MetricFamiliesTest.class.getResourceAsStream(REFERENCE), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# detailed-families:")) {
                    detailed = List.of(line.substring("# detailed-families:".length()).trim().split(" "));
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    String[] f = line.split(" ");
                    byEndpoint.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], new String[]{f[2], f[3]});
                }
            }
        }
        return new Reference(byEndpoint, detailed);
    }
}
