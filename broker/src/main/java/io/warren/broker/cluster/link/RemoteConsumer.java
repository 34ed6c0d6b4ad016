package io.warren.broker.cluster.link;

import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * On the home node, a consumer that lives on another node: the queue treats it like any other
 * consumer (round-robin, priority, single active consumer, exclusive), and its deliveries go out
 * over the link. Its credit is the consumer's prefetch, given back as the other node settles
 * (the other node's channel applies its own qos too); while the link's socket is full it takes
 * nothing, so a slow node holds messages back in the queue rather than in memory.
 */
final class RemoteConsumer implements QueueConsumer {
    private final HomeSession session;
    private final long id;
    private final AmqpQueue queue;
    private final String tag;
    private final boolean noAck;
    private final boolean exclusive;
    private final int prefetch;   // 0: unlimited
    private final int priority;
    /** The other node's consumer's {@link QueueConsumer#place}. */
    private final String place;
    private final AtomicInteger inflight = new AtomicInteger();
    private volatile boolean active = true;

    RemoteConsumer(HomeSession session, long id, AmqpQueue queue, String tag, boolean noAck, boolean exclusive,
                   int prefetch, int priority, String place) {
        this.session = session;
        this.id = id;
        this.queue = queue;
        this.tag = tag;
        this.noAck = noAck;
        this.exclusive = exclusive;
        this.prefetch = prefetch;
        this.priority = priority;
        this.place = place;
    }

    long id() {
        return id;
    }

    AmqpQueue queue() {
        return queue;
    }

    void deactivate() {
        active = false;
    }

    void release() {
        inflight.decrementAndGet();
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public String place() {
        return place;
    }

    @Override
    public boolean noAck() {
        return noAck;
    }

    @Override
    public boolean exclusive() {
        return exclusive;
    }

    @Override
    public int priority() {
        return priority;
    }

    /** A quorum queue gives this consumer as many messages ahead as the other node's consumer may hold. */
    @Override
    public int prefetch() {
        return prefetch;
    }

    @Override
    public boolean tryReserve() {
        if (!active || !session.link().channel().isWritable()) {
            return false;
        }
        if (noAck) {
            return true;
        }
        if (prefetch > 0 && inflight.get() >= prefetch) {
            return false;
        }
        inflight.incrementAndGet();
        return true;
    }

    /**
     * Under the queue's lock: the id is taken and the delivery queued for the link's loop, which
     * keeps the queue's order (the body of an evicted message is read there when it is written, not
     * under the lock; a no-ack one is settled once written).
     */
    @Override
    public void deliver(AmqpQueue q, QueueEntry e) {
        long held = noAck ? 0 : session.hold(q, e, this);
        Runnable written = e.settleAfterRead() ? () -> q.settleAfterRead(e) : null;
        session.link().send(new LinkMessage.Deliver(id, held, e.redelivered(), e.message(), written));
    }

    @Override
    public void cancelledByBroker(AmqpQueue q) {
        session.cancelledByBroker(this);
    }
}
