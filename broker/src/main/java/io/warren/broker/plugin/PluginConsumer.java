package io.warren.broker.plugin;

import io.netty.util.concurrent.EventExecutor;
import io.warren.broker.model.Message;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;
import io.warren.plugin.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plugin client's consumer on one queue: always in ack mode (the plugin acks a QoS 0 delivery as soon as it
 * is written), so a message is never lost between queue and socket. The queue calls {@link #tryReserve} and
 * {@link #deliver} under its lock from any thread; everything else happens on the client's event loop.
 */
final class PluginConsumer implements QueueConsumer, Session.Subscription {
    private final AmqpQueue queue;
    private final int prefetch;
    private final EventExecutor loop;
    private final Session.DeliverySink sink;
    private final String tag = "plugin-" + System.identityHashCode(this);
    private final AtomicInteger inflight = new AtomicInteger();
    private final Map<Long, QueueEntry> unacked = new HashMap<>(); // on the loop only
    private long nextId;                                           // on the loop only
    private volatile boolean active = true;

    PluginConsumer(AmqpQueue queue, int prefetch, EventExecutor loop, Session.DeliverySink sink) {
        this.queue = queue;
        this.prefetch = prefetch;
        this.loop = loop;
        this.sink = sink;
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public boolean noAck() {
        return false;
    }

    @Override
    public boolean exclusive() {
        return false;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean tryReserve() {
        if (!active || !sink.writable()) {
            return false;
        }
        if (inflight.incrementAndGet() > prefetch) {
            inflight.decrementAndGet();
            return false;
        }
        return true;
    }

    @Override
    public void deliver(AmqpQueue q, QueueEntry entry) {
        Message m = entry.message();
        // an evicted body is read back off the loop; both paths complete on the loop, in order of hand-over
        m.readBody(loop, (body, failure) -> {
            if (!active) {
                queue.requeue(List.of(entry));
                return;
            }
            if (failure != null) {
                queue.requeue(List.of(entry));
                inflight.decrementAndGet();
                return;
            }
            long id = ++nextId;
            unacked.put(id, entry);
            sink.deliver(new Session.Delivery(id, m.exchange(), m.routingKey(), entry.redelivered(), m.persistent(),
                    m.properties().headers(), body));
        });
    }

    @Override
    public void cancelledByBroker(AmqpQueue q) {
        active = false;
        loop.execute(sink::cancelled);
    }

    @Override
    public void ack(long deliveryId) {
        QueueEntry e = unacked.remove(deliveryId);
        if (e == null) {
            return;
        }
        queue.settle(List.of(e));
        inflight.decrementAndGet();
        queue.dispatch();
    }

    @Override
    public void resume() {
        queue.dispatch();
    }

    @Override
    public void cancel() {
        if (!active) {
            return;
        }
        active = false;
        queue.removeConsumer(this);
        if (!unacked.isEmpty()) {
            List<QueueEntry> back = new ArrayList<>(unacked.values());
            back.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            unacked.clear();
            queue.requeue(back);
        }
    }
}
