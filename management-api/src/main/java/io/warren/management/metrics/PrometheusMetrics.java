package io.warren.management.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.warren.management.BrokerAdmin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Prometheus metrics as RabbitMQ 3.10's {@code rabbitmq_prometheus} plugin serves them, so its
 * Grafana dashboards and alerts work unchanged:
 * <ul>
 *   <li>{@code /metrics}: every family, object metrics (queues, channels, connections) summed into
 *       one series each (the plugin's default);</li>
 *   <li>{@code /metrics/per-object}: the same with one series per object;</li>
 *   <li>{@code /metrics/detailed?family=...&vhost=...}: only the groups asked for (see
 *       {@link MetricGroup}), per object, prefixed {@code rabbitmq_detailed_}, queues filtered by vhost.</li>
 * </ul>
 * Every endpoint carries {@code rabbitmq_identity_info} and {@code rabbitmq_build_info}. Nothing is
 * counted for metrics on the message path: a scrape reads the broker's existing snapshots and counters.
 * The text is written by Prometheus' own client library (text format 0.0.4).
 */
public final class PrometheusMetrics {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.create().getContentType();

    /** Which endpoint a scrape is for; the name is the {@code registry} label of the telemetry metrics. */
    public enum Endpoint {
        DEFAULT("default"), PER_OBJECT("per-object"), DETAILED("detailed");

        private final String registry;

        Endpoint(String registry) {
            this.registry = registry;
        }
    }

    private final BrokerAdmin admin;
    private final ScrapeTelemetry telemetry = new ScrapeTelemetry(CONTENT_TYPE);
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public PrometheusMetrics(BrokerAdmin admin) {
        this.admin = admin;
    }

    /** {@code /metrics} */
    public byte[] render() {
        return render(Endpoint.DEFAULT, List.of(), List.of());
    }

    /**
     * One scrape. {@code families} and {@code vhosts} are the query parameters of {@code /metrics/detailed}
     * (unknown family names are ignored, as RabbitMQ ignores them); the other endpoints ignore them.
     */
    public byte[] render(Endpoint endpoint, Collection<String> families, Collection<String> vhosts) {
        long start = System.nanoTime();
        List<MetricSnapshot> snapshots = endpoint == Endpoint.DETAILED
                ? detailed(new HashSet<>(families), new ScrapeData(admin, Set.copyOf(vhosts)))
                : all(endpoint == Endpoint.PER_OBJECT, new ScrapeData(admin, Set.of()));
        snapshots = new ArrayList<>(snapshots);
        snapshots.addAll(telemetry.snapshots());
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        try {
            writer.write(out, new MetricSnapshots(snapshots));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] body = out.toByteArray();
        telemetry.record(endpoint.registry, System.nanoTime() - start, body.length);
        return body;
    }

    private static List<MetricSnapshot> all(boolean perObject, ScrapeData data) {
        Families f = new Families("rabbitmq_", perObject);
        for (MetricGroup g : MetricGroup.values()) {
            // queue_consumer_count repeats queue_metrics' rabbitmq_queue_consumers: only asked for alone
            if (!g.clusterWide() && g != MetricGroup.QUEUE_CONSUMER_COUNT) {
                g.write(data, f);
            }
        }
        GlobalFamilies.totals(data, f);
        GlobalFamilies.global(data, f);
        if (!perObject) { // rabbitmq_prometheus' per-object registry has no alarm or process collector
            GlobalFamilies.alarms(data, f);
            GlobalFamilies.processStart(data, f);
        }
        GlobalFamilies.info(data, f);
        GlobalFamilies.jvm(data, f);
        return f.snapshots();
    }

    private static List<MetricSnapshot> detailed(Set<String> families, ScrapeData data) {
        Families f = new Families("rabbitmq_detailed_", true);
        for (MetricGroup g : MetricGroup.values()) {
            if (families.contains(g.familyName())) {
                g.write(data, f);
            }
        }
        GlobalFamilies.info(data, f);
        // queue_consumer_count and queue_metrics both give rabbitmq_detailed_queue_consumers: keep it once
        Set<String> names = new HashSet<>();
        List<MetricSnapshot> out = new ArrayList<>();
        for (MetricSnapshot s : f.snapshots()) {
            if (names.add(s.getMetadata().getPrometheusName())) {
                out.add(s);
            }
        }
        return out;
    }
}
