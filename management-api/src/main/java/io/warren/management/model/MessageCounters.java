package io.warren.management.model;

/**
 * Broker-wide message counters since start, named as RabbitMQ's {@code message_stats} keys.
 *
 * @param publish          messages received from publishers
 * @param deliver          deliveries to consumers that must ack
 * @param deliverNoAck     deliveries to no-ack consumers
 * @param get              basic.get hits that must be acked
 * @param getNoAck         basic.get hits without ack
 * @param getEmpty         basic.get misses
 * @param ack              acknowledged deliveries
 * @param redeliver        deliveries flagged redelivered
 * @param confirm          publisher confirms sent
 * @param returnUnroutable mandatory messages returned as unroutable
 * @param dropUnroutable   non-mandatory messages dropped as unroutable
 */
public record MessageCounters(long publish, long deliver, long deliverNoAck, long get, long getNoAck, long getEmpty,
                              long ack, long redeliver, long confirm, long returnUnroutable, long dropUnroutable) {
    public static final MessageCounters ZERO = new MessageCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public long deliverGet() {
        return deliver + deliverNoAck + get + getNoAck;
    }
}
