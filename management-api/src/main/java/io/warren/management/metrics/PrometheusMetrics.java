package io.warren.management.metrics;

import io.warren.management.BrokerAdmin;
import io.warren.management.model.MessageCounters;
import io.warren.management.model.NodeInfo;
import io.warren.management.model.QueueInfo;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * {@code /metrics} in the Prometheus text format (version 0.0.4). Names follow RabbitMQ's
 * {@code rabbitmq_prometheus} plugin with per-object metrics on, so existing dashboards and
 * alerts keep working: {@code rabbitmq_queue_messages_ready{vhost,queue}},
 * {@code rabbitmq_global_messages_received_total} and so on. JVM memory is under {@code jvm_}.
 */
public final class PrometheusMetrics {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final BrokerAdmin admin;

    public PrometheusMetrics(BrokerAdmin admin) {
        this.admin = admin;
    }

    public String render() {
        StringBuilder sb = new StringBuilder(4096);
        List<QueueInfo> queues = admin.queues();
        BrokerAdmin.ClientsSnapshot clients = admin.clients();
        queueMetrics(sb, queues);
        gauge(sb, "rabbitmq_queues", "Queues", queues.size());
        gauge(sb, "rabbitmq_connections", "Open client connections", clients.connections().size());
        gauge(sb, "rabbitmq_channels", "Open channels", clients.channels().size());
        gauge(sb, "rabbitmq_consumers", "Consumers", clients.consumers().size());
        long ready = 0;
        long unacked = 0;
        for (QueueInfo q : queues) {
            ready += q.messagesReady();
            unacked += q.messagesUnacknowledged();
        }
        gauge(sb, "rabbitmq_queue_messages_ready_total", "Ready messages in all queues", ready);
        gauge(sb, "rabbitmq_queue_messages_unacked_total", "Unacknowledged messages in all queues", unacked);
        MessageCounters c = admin.counters();
        counter(sb, "rabbitmq_global_messages_received_total", "Messages received from publishers", c.publish());
        counter(sb, "rabbitmq_global_messages_delivered_total", "Messages delivered to consumers and basic.get",
                c.deliverGet());
        counter(sb, "rabbitmq_global_messages_delivered_consume_manual_ack_total",
                "Messages delivered to consumers that ack", c.deliver());
        counter(sb, "rabbitmq_global_messages_delivered_consume_auto_ack_total",
                "Messages delivered to no-ack consumers", c.deliverNoAck());
        counter(sb, "rabbitmq_global_messages_delivered_get_manual_ack_total", "basic.get hits with ack", c.get());
        counter(sb, "rabbitmq_global_messages_delivered_get_auto_ack_total", "basic.get hits without ack",
                c.getNoAck());
        counter(sb, "rabbitmq_global_messages_get_empty_total", "basic.get misses", c.getEmpty());
        counter(sb, "rabbitmq_global_messages_acknowledged_total", "Messages acknowledged by consumers", c.ack());
        counter(sb, "rabbitmq_global_messages_redelivered_total", "Messages redelivered", c.redeliver());
        counter(sb, "rabbitmq_global_messages_confirmed_total", "Publisher confirms sent", c.confirm());
        counter(sb, "rabbitmq_global_messages_unroutable_returned_total", "Unroutable mandatory messages returned",
                c.returnUnroutable());
        counter(sb, "rabbitmq_global_messages_unroutable_dropped_total", "Unroutable messages dropped",
                c.dropUnroutable());
        List<String> alarms = admin.alarms();
        gauge(sb, "rabbitmq_alarms_memory_used_watermark", "1 while the memory alarm is on",
                alarms.contains("memory") ? 1 : 0);
        gauge(sb, "rabbitmq_alarms_free_disk_space_watermark", "1 while the disk alarm is on",
                alarms.contains("disk") ? 1 : 0);
        jvm(sb);
        return sb.toString();
    }

    private static void queueMetrics(StringBuilder sb, List<QueueInfo> queues) {
        header(sb, "rabbitmq_queue_messages_ready", "Messages ready to be delivered to consumers", "gauge");
        for (QueueInfo q : queues) {
            sample(sb, "rabbitmq_queue_messages_ready", q, q.messagesReady());
        }
        header(sb, "rabbitmq_queue_messages_unacked", "Messages delivered to consumers but not yet acknowledged",
                "gauge");
        for (QueueInfo q : queues) {
            sample(sb, "rabbitmq_queue_messages_unacked", q, q.messagesUnacknowledged());
        }
        header(sb, "rabbitmq_queue_messages", "Ready and unacknowledged messages", "gauge");
        for (QueueInfo q : queues) {
            sample(sb, "rabbitmq_queue_messages", q, q.messages());
        }
        header(sb, "rabbitmq_queue_messages_ready_bytes", "Body bytes of ready messages", "gauge");
        for (QueueInfo q : queues) {
            sample(sb, "rabbitmq_queue_messages_ready_bytes", q, q.messageBytesReady());
        }
        header(sb, "rabbitmq_queue_consumers", "Consumers on the queue", "gauge");
        for (QueueInfo q : queues) {
            sample(sb, "rabbitmq_queue_consumers", q, q.consumers());
        }
        header(sb, "rabbitmq_queue_messages_published_total", "Messages enqueued since the queue was declared",
                "counter");
        for (QueueInfo q : queues) {
            sample(sb, "rabbitmq_queue_messages_published_total", q, q.published());
        }
        header(sb, "rabbitmq_queue_messages_delivered_total", "Messages delivered (consume and get) from the queue",
                "counter");
        for (QueueInfo q : queues) {
            sample(sb, "rabbitmq_queue_messages_delivered_total", q, q.delivered());
        }
    }

    private void jvm(StringBuilder sb) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = mem.getHeapMemoryUsage();
        MemoryUsage nonHeap = mem.getNonHeapMemoryUsage();
        header(sb, "jvm_memory_used_bytes", "Used JVM memory", "gauge");
        sb.append("jvm_memory_used_bytes{area=\"heap\"} ").append(heap.getUsed()).append('\n');
        sb.append("jvm_memory_used_bytes{area=\"nonheap\"} ").append(nonHeap.getUsed()).append('\n');
        header(sb, "jvm_memory_committed_bytes", "Committed JVM memory", "gauge");
        sb.append("jvm_memory_committed_bytes{area=\"heap\"} ").append(heap.getCommitted()).append('\n');
        sb.append("jvm_memory_committed_bytes{area=\"nonheap\"} ").append(nonHeap.getCommitted()).append('\n');
        header(sb, "jvm_memory_max_bytes", "Maximum JVM memory (-1 when unbounded)", "gauge");
        sb.append("jvm_memory_max_bytes{area=\"heap\"} ").append(heap.getMax()).append('\n');
        gauge(sb, "jvm_threads_current", "Live JVM threads", ManagementFactory.getThreadMXBean().getThreadCount());
        NodeInfo n = admin.node();
        gauge(sb, "process_uptime_seconds", "Seconds since the broker started",
                (System.currentTimeMillis() - n.startedAt()) / 1000);
        header(sb, "warren_build_info", "Warren version", "gauge");
        sb.append("warren_build_info{version=\"").append(escape(n.version())).append("\"} 1\n");
    }

    private static void header(StringBuilder sb, String name, String help, String type) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        header(sb, name, help, "gauge");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        header(sb, name, help, "counter");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void sample(StringBuilder sb, String name, QueueInfo q, long value) {
        sb.append(name).append("{vhost=\"").append(escape(q.vhost())).append("\",queue=\"").append(escape(q.name()))
                .append("\"} ").append(value).append('\n');
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
