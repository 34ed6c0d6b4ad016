package io.warren.broker.channel;

import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A basic.consume subscription. The queue asks {@link #tryReserve} under its own lock, from any
 * thread; credit is therefore kept in atomics (per consumer, and the channel's shared one for
 * global qos). The delivery itself always happens on the channel's event loop.
 */
final class ChannelConsumer implements QueueConsumer {
    private final AmqpChannel channel;
    private final String tag;
    private final AmqpQueue queue;
    private final boolean noAck;
    private final boolean exclusive;
    private final int prefetch;                 // 0 = unlimited
    private final int priority;
    private final java.util.Map<String, Object> arguments;
    private final AtomicInteger inflight = new AtomicInteger();
    private volatile boolean active = true;

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

    AmqpQueue queue() {
        return queue;
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

    @Override
    public void deliver(AmqpQueue q, QueueEntry entry) {
        channel.deliverFromQueue(this, entry);
    }

    @Override
    public void cancelledByBroker(AmqpQueue q) {
        channel.consumerCancelledByBroker(this);
    }
}
