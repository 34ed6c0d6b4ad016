package io.warren.broker.cluster.link;

import io.warren.broker.BrokerState;
import io.warren.broker.error.AmqpException;
import io.warren.broker.model.Message;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueEntry;
import io.warren.broker.model.VirtualHost;
import io.warren.broker.persist.MessagePersistence;
import io.warren.codec.AmqpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The home side of one link: serves the other node's requests for queues homed on this node with
 * the same queue code a local channel uses. A message delivered over the link (to a remote consumer
 * or an acked basic.get) is held here under an id until the other node settles it; if the link
 * goes, everything held goes back to its queue (as a closing channel's unacked deliveries do) and
 * the link's consumers are removed.
 */
final class HomeSession {
    private static final Logger LOG = LoggerFactory.getLogger(HomeSession.class);

    private final BrokerState state;
    private final PeerLink link;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final Map<Long, RemoteConsumer> consumers = new ConcurrentHashMap<>();
    private final HomeCongestion congestion;
    private long publishesTaken; // the link's loop only

    /** A message out over the link for acknowledgement; {@code consumer} null for basic.get. */
    record Held(AmqpQueue queue, QueueEntry entry, RemoteConsumer consumer) {
    }

    HomeSession(BrokerState state, PeerLink link) {
        this.state = state;
        this.link = link;
        this.congestion = new HomeCongestion(link);
    }

    PeerLink link() {
        return link;
    }

    long hold(AmqpQueue q, QueueEntry e, RemoteConsumer c) {
        long id = nextId.incrementAndGet();
        held.put(id, new Held(q, e, c));
        return id;
    }

    /**
     * Messages routed on the other node: each queue named takes it (a queue deleted meanwhile is
     * skipped, as a local publish racing a delete). A persistent message for durable queues is
     * stored first; the answer, when one is wanted, goes back once it is synced, so the publisher's
     * confirm means what it means locally.
     */
    void publish(LinkMessage.Publish p, Executor loop) {
        VirtualHost v = state.vhost(p.vhost());
        List<AmqpQueue> targets = new ArrayList<>(p.queues().size());
        if (v != null) {
            for (String name : p.queues()) {
                AmqpQueue q = v.queue(name);
                if (q != null) {
                    targets.add(q);
                }
            }
        }
        Message msg = p.message();
        boolean[] accepted = {true};
        MessagePersistence persistence = state.messagePersistence();
        boolean stored = persistence != null && !targets.isEmpty() && persistence.store(msg, targets, loop,
                (location, failure) -> {
                    if (p.wantsReply()) {
                        link.send(new LinkMessage.Reply(p.corr(), 0, "", failure == null && accepted[0] ? 1 : 0));
                    }
                });
        for (AmqpQueue q : targets) {
            accepted[0] &= q.enqueue(msg);
            congestion.published(q);
        }
        if (!stored && p.wantsReply()) {
            link.send(new LinkMessage.Reply(p.corr(), 0, "", accepted[0] ? 1 : 0));
        }
        if (++publishesTaken % PeerLink.CREDIT_EVERY == 0) {
            link.send(new LinkMessage.Credit(publishesTaken));
        }
    }

    /**
     * basic.get for the other node. A quorum queue answers once its group committed the get: the
     * answer goes out then, and the link's loop never waits for it.
     */
    void get(LinkMessage.Get g) {
        AmqpQueue[] found = new AmqpQueue[1];
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<QueueEntry>> taken =
                new java.util.concurrent.atomic.AtomicReference<>();
        answer(g.corr(), g.vhost(), g.queue(), q -> {
            found[0] = q;
            taken.set(q.getLater(g.noAck()));
            return null; // answered below, when the get is done
        });
        if (taken.get() == null) {
            return;
        }
        AmqpQueue q = found[0];
        taken.get().whenComplete((e, failure) -> {
            if (failure != null) {
                Throwable c = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                link.send(c instanceof AmqpException a ? new LinkMessage.Reply(g.corr(), a.replyCode(), a.replyText(), 0)
                        : new LinkMessage.Reply(g.corr(), AmqpConstants.INTERNAL_ERROR, "INTERNAL_ERROR - " + c, 0));
                return;
            }
            if (e == null) {
                link.send(new LinkMessage.Reply(g.corr(), 0, "", -1));
                return;
            }
            long id = g.noAck() ? 0 : hold(q, e, null);
            int remaining = q.readyCount();
            Runnable written = e.settleAfterRead() ? () -> q.settleAfterRead(e) : null;
            link.send(new LinkMessage.GotMessage(g.corr(), id, e.redelivered(), remaining, e.message(), written));
        });
    }

    void consume(LinkMessage.Consume c) {
        RemoteConsumer[] made = new RemoteConsumer[1];
        answer(c.corr(), c.vhost(), c.queue(), q -> {
            RemoteConsumer rc = new RemoteConsumer(this, c.consumer(), q, c.tag(), c.noAck(), c.exclusive(),
                    c.prefetch(), c.priority(), c.place());
            q.addConsumer(rc); // may refuse: exclusive use
            consumers.put(c.consumer(), rc);
            made[0] = rc;
            return new LinkMessage.Reply(c.corr(), 0, "", 0);
        });
        if (made[0] != null) {
            made[0].queue().dispatch(); // after the answer: its deliveries follow it on the link
        }
    }

    void cancel(long consumer) {
        cancel(consumer, false);
    }

    /** {@code moving}: the other node serves the consumer through another object now, keeping its place. */
    void cancel(long consumer, boolean moving) {
        RemoteConsumer rc = consumers.remove(consumer);
        if (rc != null) {
            rc.deactivate();
            if (moving) {
                rc.queue().detachConsumer(rc);
            } else {
                rc.queue().removeConsumer(rc);
            }
        }
    }

    /** The home node ended a consumer (its queue went): tell the other node. */
    void cancelledByBroker(RemoteConsumer rc) {
        if (consumers.remove(rc.id(), rc)) {
            rc.deactivate();
            link.send(new LinkMessage.Cancelled(rc.id()));
        }
    }

    void purge(LinkMessage.Purge p) {
        answer(p.corr(), p.vhost(), p.queue(), q -> new LinkMessage.Reply(p.corr(), 0, "", q.purge()));
    }

    /** queue.declare-ok's counts for a declare made on the other node. */
    void counts(LinkMessage.CountsRequest r) {
        answer(r.corr(), r.vhost(), r.queue(), q -> new LinkMessage.Reply(r.corr(), 0, "",
                ((long) q.readyCount() << 32) | (q.consumerCount() & 0xffffffffL)));
    }

    /** Acks, rejects or requeues, per queue in the order given; consumers get their credit back. */
    void settle(LinkMessage.Settle s) {
        Map<AmqpQueue, List<QueueEntry>> byQueue = new LinkedHashMap<>();
        Map<AmqpQueue, Boolean> credited = new LinkedHashMap<>();
        for (long id : s.ids()) {
            Held h = held.remove(id);
            if (h == null) {
                continue; // settled twice, or a link that came back: nothing to do
            }
            byQueue.computeIfAbsent(h.queue(), k -> new ArrayList<>()).add(h.entry());
            if (h.consumer() != null) {
                h.consumer().release();
                credited.put(h.queue(), true);
            }
        }
        byQueue.forEach((q, entries) -> {
            switch (s.kind()) {
                case ACK -> q.settle(entries);
                case REJECT -> q.reject(entries);
                case REQUEUE -> q.requeue(entries);
            }
        });
        credited.keySet().forEach(AmqpQueue::dispatch);
    }

    /** The link is writable again: the queues of its consumers may deliver. */
    void resume() {
        consumers.values().stream().map(RemoteConsumer::queue).distinct().forEach(AmqpQueue::dispatch);
    }

    /** The link went: its consumers go and its held messages return to their queues. */
    void lost() {
        congestion.release();
        for (RemoteConsumer rc : consumers.values()) {
            cancel(rc.id());
        }
        Map<AmqpQueue, List<QueueEntry>> byQueue = new LinkedHashMap<>();
        for (Long id : new ArrayList<>(held.keySet())) {
            Held h = held.remove(id);
            if (h != null) {
                byQueue.computeIfAbsent(h.queue(), k -> new ArrayList<>()).add(h.entry());
            }
        }
        byQueue.forEach(AmqpQueue::requeue);
    }

    /**
     * A message that was to go out over a link that is gone: one held for acknowledgement goes back
     * to its queue (no-ack ones are gone with the link, as with a closed channel).
     */
    void undelivered(LinkMessage m) {
        long id = m instanceof LinkMessage.Deliver d ? d.id() : m instanceof LinkMessage.GotMessage g ? g.id() : 0;
        Held h = id == 0 ? null : held.remove(id);
        if (h != null) {
            h.queue().requeue(List.of(h.entry()));
        }
    }

    /** Runs {@code action} on a queue of this node and sends its answer, or the AMQP error it met. */
    private void answer(long corr, String vhost, String queue, Function<AmqpQueue, LinkMessage> action) {
        LinkMessage reply;
        try {
            VirtualHost v = state.vhost(vhost);
            AmqpQueue q = v == null ? null : v.queue(queue);
            if (q == null) {
                reply = new LinkMessage.Reply(corr, AmqpConstants.NOT_FOUND, "NOT_FOUND - no queue '" + queue
                        + "' in vhost '" + vhost + "'", 0);
            } else {
                reply = action.apply(q);
                if (reply == null) {
                    return; // the action answers later itself
                }
            }
        } catch (AmqpException e) {
            reply = new LinkMessage.Reply(corr, e.replyCode(), e.replyText(), 0);
        } catch (RuntimeException e) {
            LOG.warn("cluster request for queue '{}' in vhost '{}' from node '{}' failed: {}", queue, vhost,
                    link.node(), e.toString());
            reply = new LinkMessage.Reply(corr, AmqpConstants.INTERNAL_ERROR, "INTERNAL_ERROR - " + e, 0);
        }
        link.send(reply);
    }
}
