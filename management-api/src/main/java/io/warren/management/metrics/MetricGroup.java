package io.warren.management.metrics;

import java.util.function.BiConsumer;

/**
 * rabbitmq_prometheus' metric groups, by the names {@code /metrics/detailed?family=...} takes. The
 * first ones (up to {@link #CHANNEL_QUEUE_EXCHANGE_METRICS}) are the core groups every endpoint writes
 * (prefix {@code rabbitmq_}, or {@code rabbitmq_detailed_} on {@code /metrics/detailed}); the last three
 * are cluster-wide and only on {@code /metrics/detailed}. Ordered as RabbitMQ writes them.
 */
enum MetricGroup {
    CONNECTION_CHURN_METRICS(NodeFamilies::churn),
    NODE_COARSE_METRICS(NodeFamilies::coarse),
    NODE_METRICS(NodeFamilies::node),
    NODE_PERSISTER_METRICS(NodeFamilies::persister),
    RA_METRICS(QueueFamilies::raft),
    AUTH_ATTEMPT_METRICS(NodeFamilies::auth),
    /** Needs RabbitMQ's auth_attempts detail setting; without it RabbitMQ writes no samples, and neither does Warren. */
    AUTH_ATTEMPT_DETAILED_METRICS((d, f) -> { }),
    QUEUE_COARSE_METRICS(QueueFamilies::coarse),
    /** Only on /metrics/detailed: the consumer count alone, a cheap subset of queue_metrics. */
    QUEUE_CONSUMER_COUNT(QueueFamilies::consumerCount),
    QUEUE_METRICS(QueueFamilies::metrics),
    CHANNEL_METRICS(ClientFamilies::channels),
    CHANNEL_EXCHANGE_METRICS(ClientFamilies::channelExchange),
    CHANNEL_PROCESS_METRICS(ClientFamilies::channelProcess),
    CHANNEL_QUEUE_METRICS(ClientFamilies::channelQueue),
    CONNECTION_COARSE_METRICS(ClientFamilies::connectionCoarse),
    CONNECTION_METRICS(ClientFamilies::connection),
    CHANNEL_QUEUE_EXCHANGE_METRICS(QueueFamilies::published),
    VHOST_STATUS(ClusterFamilies::vhostStatus),
    EXCHANGE_BINDINGS(ClusterFamilies::exchangeBindings),
    EXCHANGE_NAMES(ClusterFamilies::exchangeNames);

    private final BiConsumer<ScrapeData, Families> write;

    MetricGroup(BiConsumer<ScrapeData, Families> write) {
        this.write = write;
    }

    /** The name {@code family=} takes, e.g. {@code queue_coarse_metrics}. */
    String familyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean clusterWide() {
        return ordinal() >= VHOST_STATUS.ordinal();
    }

    void write(ScrapeData d, Families f) {
        write.accept(d, f);
    }
}
