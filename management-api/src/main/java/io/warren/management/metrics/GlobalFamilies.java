package io.warren.management.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.warren.management.model.MessageCounters;
import io.warren.management.model.NodeInfo;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The families rabbitmq_prometheus writes outside its core groups: object totals, the
 * {@code rabbitmq_global_*} message counters (by protocol and queue type), alarms, build and
 * identity info, the process start time, and Warren's own JVM figures.
 *
 * <p>Warren's counters are broker-wide and all its queues are one implementation, so the
 * {@code rabbit_classic_queue} series carry the counts and the quorum and stream series are 0.
 */
final class GlobalFamilies {
    /** The RabbitMQ (and rabbitmq_prometheus) release whose metrics these copy, as the API's rabbitmq_version. */
    static final String RABBITMQ_VERSION = "3.10.8";
    /** The Prometheus client library's version, from the pom.properties Maven puts in its jar. */
    private static final String CLIENT_VERSION = clientVersion();
    private static final String[] QUEUE_TYPES = {"rabbit_classic_queue", "rabbit_quorum_queue", "rabbit_stream_queue"};

    private GlobalFamilies() {
    }

    static void totals(ScrapeData d, Families f) {
        f.gaugeSamples("rabbitmq_connections", "Connections currently open",
                one(d.clients().connections().size()));
        f.gaugeSamples("rabbitmq_channels", "Channels currently open", one(d.clients().channels().size()));
        f.gaugeSamples("rabbitmq_consumers", "Consumers currently connected", one(d.clients().consumers().size()));
        f.gaugeSamples("rabbitmq_queues", "Queues available", one(d.queues().size()));
    }

    static void alarms(ScrapeData d, Families f) {
        List<String> alarms = d.admin().alarms();
        f.untyped("rabbitmq_alarms_file_descriptor_limit",
                "is 1 if file descriptor limit alarm is in effect", Labels.EMPTY, 0);
        f.untyped("rabbitmq_alarms_free_disk_space_watermark",
                "is 1 if free disk space watermark alarm is in effect", Labels.EMPTY, alarms.contains("disk") ? 1 : 0);
        f.untyped("rabbitmq_alarms_memory_used_watermark",
                "is 1 if VM memory watermark alarm is in effect", Labels.EMPTY, alarms.contains("memory") ? 1 : 0);
    }

    static void global(ScrapeData d, Families f) {
        MessageCounters c = d.counters();
        int consumers = d.clients().consumers().size();
        f.gaugeSamples("rabbitmq_global_consumers", "Current number of consumers", protocol(consumers));
        f.gaugeSamples("rabbitmq_global_publishers", "Current number of publishers", protocol(0));
        f.counterSamples("rabbitmq_global_messages_received_total", "Total number of messages received from publishers",
                protocol(c.publish()));
        // not counted per message: every message received in confirm mode is confirmed once, so the confirms
        // sent are these messages, less those whose confirm is still on its way
        f.counterSamples("rabbitmq_global_messages_received_confirm_total",
                "Total number of messages received from publishers expecting confirmations", protocol(c.confirm()));
        f.counterSamples("rabbitmq_global_messages_routed_total", "Total number of messages routed to queues or streams",
                protocol(c.publish() - c.returnUnroutable() - c.dropUnroutable()));
        f.counterSamples("rabbitmq_global_messages_unroutable_dropped_total",
                "Total number of messages published as non-mandatory into an exchange and dropped as unroutable",
                protocol(c.dropUnroutable()));
        f.counterSamples("rabbitmq_global_messages_unroutable_returned_total",
                "Total number of messages published as mandatory into an exchange and returned to the publisher as unroutable",
                protocol(c.returnUnroutable()));
        f.counterSamples("rabbitmq_global_messages_confirmed_total",
                "Total number of messages confirmed to publishers", protocol(c.confirm()));
        f.counterSamples("rabbitmq_global_messages_delivered_total",
                "Total number of messages delivered to consumers", byQueueType(c.deliverGet()));
        f.counterSamples("rabbitmq_global_messages_delivered_consume_manual_ack_total",
                "Total number of messages delivered to consumers using basic.consume with manual acknowledgment",
                byQueueType(c.deliver()));
        f.counterSamples("rabbitmq_global_messages_delivered_consume_auto_ack_total",
                "Total number of messages delivered to consumers using basic.consume with automatic acknowledgment",
                byQueueType(c.deliverNoAck()));
        f.counterSamples("rabbitmq_global_messages_delivered_get_manual_ack_total",
                "Total number of messages delivered to consumers using basic.get with manual acknowledgment",
                byQueueType(c.get()));
        f.counterSamples("rabbitmq_global_messages_delivered_get_auto_ack_total",
                "Total number of messages delivered to consumers using basic.get with automatic acknowledgment",
                byQueueType(c.getNoAck()));
        f.counterSamples("rabbitmq_global_messages_get_empty_total",
                "Total number of times basic.get operations fetched no message", byQueueType(c.getEmpty()));
        f.counterSamples("rabbitmq_global_messages_redelivered_total",
                "Total number of messages redelivered to consumers", byQueueType(c.redeliver()));
        f.counterSamples("rabbitmq_global_messages_acknowledged_total",
                "Total number of messages acknowledged by consumers", byQueueType(c.ack()));
        for (String reason : new String[]{"confirmed", "delivery_limit", "expired", "maxlen", "rejected"}) {
            f.counterSamples("rabbitmq_global_messages_dead_lettered_" + reason + "_total",
                    "Total number of messages dead-lettered (" + reason.replace('_', ' ') + ")", deadLettered());
        }
    }

    static void processStart(ScrapeData d, Families f) {
        f.gaugeSamples("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                one(d.admin().node().startedAt() / 1000.0));
    }

    /**
     * rabbitmq_build_info and rabbitmq_identity_info, which RabbitMQ's dashboards join every query on
     * (by rabbitmq_node and rabbitmq_cluster). Erlang has no place in Warren: {@code erlang_version}
     * carries the Java version.
     */
    static void info(ScrapeData d, Families f) {
        NodeInfo n = d.admin().node();
        f.untyped("rabbitmq_build_info", "RabbitMQ & Erlang/OTP version info",
                Labels.of("rabbitmq_version", RABBITMQ_VERSION, "prometheus_plugin_version", RABBITMQ_VERSION,
                        "prometheus_client_version", CLIENT_VERSION,
                        "erlang_version", Runtime.version().toString()), 1);
        // RabbitMQ stores a random id at first start; a name-based one stays the same across restarts too
        String id = UUID.nameUUIDFromBytes(n.clusterName().getBytes(StandardCharsets.UTF_8)).toString();
        f.untyped("rabbitmq_identity_info", "RabbitMQ node & cluster identity info",
                Labels.of("rabbitmq_node", n.name(), "rabbitmq_cluster", n.clusterName(),
                        "rabbitmq_cluster_permanent_id", "rabbitmq-cluster-id-" + id), 1);
    }

    private static String clientVersion() {
        try (java.io.InputStream in = MetricSnapshot.class.getResourceAsStream(
                "/META-INF/maven/io.prometheus/prometheus-metrics-model/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Warren's own: the JVM's memory and threads, and its version. */
    static void jvm(ScrapeData d, Families f) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        f.gaugeSamples("jvm_memory_used_bytes", "Used JVM memory", areas(heap.getUsed(), nonHeap.getUsed()));
        f.gaugeSamples("jvm_memory_committed_bytes", "Committed JVM memory",
                areas(heap.getCommitted(), nonHeap.getCommitted()));
        f.gaugeSamples("jvm_memory_max_bytes", "Maximum JVM memory (-1 when unbounded)",
                areas(heap.getMax(), nonHeap.getMax()));
        f.gaugeSamples("jvm_threads_current", "Live JVM threads", one(ManagementFactory.getThreadMXBean().getThreadCount()));
        f.gaugeSamples("warren_build_info", "Warren version",
                List.of(new Families.Sample(Labels.of("version", d.admin().node().version()), 1)));
    }

    private static List<Families.Sample> one(double value) {
        return List.of(new Families.Sample(Labels.EMPTY, value));
    }

    private static List<Families.Sample> areas(long heap, long nonHeap) {
        return List.of(new Families.Sample(Labels.of("area", "heap"), heap),
                new Families.Sample(Labels.of("area", "nonheap"), nonHeap));
    }

    private static List<Families.Sample> protocol(double value) {
        return List.of(new Families.Sample(Labels.of("protocol", "amqp091"), value));
    }

    private static List<Families.Sample> byQueueType(double classic) {
        List<Families.Sample> out = new ArrayList<>(3);
        for (String t : QUEUE_TYPES) {
            out.add(new Families.Sample(Labels.of("protocol", "amqp091", "queue_type", t),
                    t.equals("rabbit_classic_queue") ? classic : 0));
        }
        return out;
    }

    /** Warren does not count dead-lettered messages yet: 0, with RabbitMQ's label pairs for classic queues. */
    private static List<Families.Sample> deadLettered() {
        return List.of(
                new Families.Sample(Labels.of("queue_type", "rabbit_classic_queue", "dead_letter_strategy", "at_most_once"), 0),
                new Families.Sample(Labels.of("queue_type", "rabbit_classic_queue", "dead_letter_strategy", "disabled"), 0));
    }
}
