package io.warren.broker.channel;

import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;
import io.warren.broker.net.DeliveryWindow;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A basic.consume subscription. The queue asks {@link #tryReserve} under its own lock, from any
 * thread; credit is therefore kept in atomics (per consumer, and the channel's shared one for
 * global qos). The queue hands the delivery over after releasing its lock; it is written on the
 * channel's event loop. When the queue object is replaced (a quorum queue's member added to or
 * removed from this node), the consumer moves to the new object; each delivery keeps the object
 * that made it, which is the one that settles it.
 */
final class ChannelConsumer implements QueueConsumer {
    private final AmqpChannel channel;
    private final String tag;
    /** The object serving the queue; another one when the queue object is replaced ({@link #queueReplaced}). */
    private volatile AmqpQueue queue;
    private final boolean noAck;
    private final boolean exclusive;
    private final int prefetch;                 // 0 = unlimited
    private final int priority;
    private final java.util.Map<String, Object> arguments;
    private final AtomicInteger inflight = new AtomicInteger();
    private volatile boolean active = true;
    /** See {@link QueueConsumer#place}: random, so unique across the cluster's nodes and restarts. */
    private final String place = new java.util.UUID(java.util.concurrent.ThreadLocalRandom.current().nextLong(),
            java.util.concurrent.ThreadLocalRandom.current().nextLong()).toString();

    ChannelConsumer(AmqpChannel channel, String tag, AmqpQueue queue, boolean noAck, boolean exclusive, int prefetch,
                    int priority, java.util.Map<String, Object> arguments) {
        this.channel = channel;
        this.tag = tag;
        this.queue = queue;
        this.noAck = noAck;
        this.exclusive = exclusive;
        this.prefetch = prefetch;
        this.priority = priority;
        this.arguments = arguments;
    }

    @Override
    public int prefetch() {
        return prefetch;
    }

    @Override
    public java.util.Map<String, Object> arguments() {
        return arguments;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public String place() {
        return place;
    }

    AmqpQueue queue() {
        return queue;
    }

    /** On the channel's loop: the consumer is served by {@code replacement} from now on. */
    void queue(AmqpQueue replacement) {
        queue = replacement;
    }

    @Override
    public boolean noAck() {
        return noAck;
    }

    @Override
    public boolean exclusive() {
        return exclusive;
    }

    void deactivate() {
        active = false;
    }

    boolean isActive() {
        return active;
    }

    @Override
    public boolean tryReserve() {
        if (!active || !channel.mayTakeDelivery()) {
            return false;
        }
        // consumer prefetch limits ack-mode consumers only; the channel-wide limit, once used up,
        // holds back no-ack consumers too, without counting their deliveries (RabbitMQ 3.10's limiter)
        if (!noAck && prefetch > 0 && inflight.get() >= prefetch) {
            return false;
        }
        if (!channel.credit().tryAcquire(!noAck)) {
            return false;
        }
        if (!noAck) {
            inflight.incrementAndGet();
        }
        return true;
    }

    /** An acked, rejected or requeued delivery of this consumer gives its credit back. */
    void release() {
        if (!noAck) {
            inflight.decrementAndGet();
            channel.credit().release();
        }
    }

    /** Under the queue's lock: the delivery counts against the connection's window from now on (atomic). */
    @Override
    public void reserved(QueueEntry entry) {
        channel.connection().deliveryWindow().taken(DeliveryWindow.cost(entry.message().bodySize()));
    }

    @Override
    public void deliver(AmqpQueue q, QueueEntry entry) {
        channel.deliverFromQueue(this, q, entry); // q settles it, even if the consumer moved on since
    }

    @Override
    public void queueReplaced(AmqpQueue old, AmqpQueue replacement) {
        channel.consumerMoved(this, old, replacement);
    }

    @Override
    public void cancelledByBroker(AmqpQueue q) {
        channel.consumerCancelledByBroker(this);
    }
}
