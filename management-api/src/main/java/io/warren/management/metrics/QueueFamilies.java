package io.warren.management.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.warren.management.model.QueueInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * rabbitmq_prometheus' queue groups: queue_coarse_metrics, queue_consumer_count, queue_metrics,
 * ra_metrics and channel_queue_exchange_metrics, from Warren's queue snapshots ({@link QueueInfo}).
 * Numbers Warren has no equivalent for (Erlang reductions, Raft indices) are 0.
 */
final class QueueFamilies {
    private QueueFamilies() {
    }

    static void coarse(ScrapeData d, Families f) {
        List<QueueInfo> qs = d.queues();
        f.objectGauge("queue_messages_ready", "Messages ready to be delivered to consumers",
                each(qs, QueueInfo::messagesReady));
        f.objectGauge("queue_messages_unacked", "Messages delivered to consumers but not yet acknowledged",
                each(qs, QueueInfo::messagesUnacknowledged));
        f.objectGauge("queue_messages", "Sum of ready and unacknowledged messages - total queue depth",
                each(qs, QueueInfo::messages));
        f.objectCounter("queue_process_reductions_total", "Total number of queue process reductions",
                each(qs, q -> 0));
    }

    static void consumerCount(ScrapeData d, Families f) {
        f.objectGauge("queue_consumers", "Consumers on a queue", each(d.queues(), QueueInfo::consumers));
    }

    static void metrics(ScrapeData d, Families f) {
        List<QueueInfo> qs = d.queues();
        consumerCount(d, f);
        // a Warren queue hands a message to any consumer with credit at once: full capacity when it has one
        f.objectGauge("queue_consumer_capacity", "Consumer capacity", each(qs, q -> q.consumers() > 0 ? 1 : 0));
        f.objectGauge("queue_consumer_utilisation", "Same as consumer capacity",
                each(qs, q -> q.consumers() > 0 ? 1 : 0));
        f.objectGauge("queue_process_memory_bytes", "Memory in bytes used by the Erlang queue process",
                each(qs, QueueInfo::memoryEstimate));
        f.objectGauge("queue_messages_ram", "Ready and unacknowledged messages stored in memory",
                each(qs, q -> q.messages() - q.messagesPagedOut()));
        f.objectGauge("queue_messages_ram_bytes", "Size of ready and unacknowledged messages stored in memory",
                each(qs, q -> q.messageBytesReady() - q.messageBytesPagedOut()));
        f.objectGauge("queue_messages_ready_ram", "Ready messages stored in memory",
                each(qs, q -> q.messagesReady() - q.messagesPagedOut()));
        f.objectGauge("queue_messages_unacked_ram", "Unacknowledged messages stored in memory",
                each(qs, QueueInfo::messagesUnacknowledged));
        f.objectGauge("queue_messages_persistent", "Persistent messages", each(qs, q -> 0));
        f.objectGauge("queue_messages_persistent_bytes", "Size in bytes of persistent messages", each(qs, q -> 0));
        f.objectGauge("queue_messages_bytes", "Size in bytes of ready and unacknowledged messages",
                each(qs, QueueInfo::messageBytesReady));
        f.objectGauge("queue_messages_ready_bytes", "Size in bytes of ready messages",
                each(qs, QueueInfo::messageBytesReady));
        f.objectGauge("queue_messages_unacked_bytes", "Size in bytes of all unacknowledged messages", each(qs, q -> 0));
        f.objectGauge("queue_messages_paged_out", "Messages paged out to disk", each(qs, QueueInfo::messagesPagedOut));
        f.objectGauge("queue_messages_paged_out_bytes", "Size in bytes of messages paged out to disk",
                each(qs, QueueInfo::messageBytesPagedOut));
        f.objectGauge("queue_head_message_timestamp", "Timestamp of the first message in the queue, if any",
                each(qs, q -> Double.NaN));
        f.objectCounter("queue_disk_reads_total", "Total number of times queue read messages from disk",
                each(qs, q -> 0));
        f.objectCounter("queue_disk_writes_total", "Total number of times queue wrote messages to disk",
                each(qs, q -> 0));
    }

    /** Raft metrics exist for quorum queues; Warren keeps no Raft log, so they are 0. */
    static void raft(ScrapeData d, Families f) {
        List<QueueInfo> qs = d.queues().stream().filter(q -> "quorum".equals(q.arguments().get("x-queue-type")))
                .toList();
        f.objectCounter("raft_term_total", "Current Raft term number", each(qs, q -> 0));
        f.objectGauge("raft_log_snapshot_index", "Raft log snapshot index", each(qs, q -> 0));
        f.objectGauge("raft_log_last_applied_index", "Raft log last applied index", each(qs, q -> 0));
        f.objectGauge("raft_log_commit_index", "Raft log commit index", each(qs, q -> 0));
        f.objectGauge("raft_log_last_written_index", "Raft log last written index", each(qs, q -> 0));
        f.objectGauge("raft_entry_commit_latency_seconds", "Time taken for a log entry to be committed",
                each(qs, q -> 0));
    }

    /**
     * Messages enqueued. RabbitMQ keeps this per channel, exchange and queue; Warren counts per queue,
     * so the channel and exchange labels are empty.
     */
    static void published(ScrapeData d, Families f) {
        List<Families.Sample> samples = new ArrayList<>();
        for (QueueInfo q : d.queues()) {
            samples.add(new Families.Sample(Labels.of("channel", "", "exchange", "", "exchange_vhost", q.vhost(),
                    "queue", q.name(), "queue_vhost", q.vhost()), q.published()));
        }
        f.objectCounter("queue_messages_published_total", "Total number of messages published to queues", samples);
    }

    private static List<Families.Sample> each(List<QueueInfo> qs, ToDoubleFunction<QueueInfo> value) {
        List<Families.Sample> out = new ArrayList<>(qs.size());
        for (QueueInfo q : qs) {
            out.add(new Families.Sample(Labels.of("vhost", q.vhost(), "queue", q.name()), value.applyAsDouble(q)));
        }
        return out;
    }
}
