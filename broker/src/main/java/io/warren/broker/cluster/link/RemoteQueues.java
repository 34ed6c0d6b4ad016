package io.warren.broker.cluster.link;

import io.warren.broker.error.ChannelException;
import io.warren.broker.model.Message;
import io.warren.broker.model.Queue;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * What a channel does with a queue homed on another node, through the link to that node. Every
 * node holds an instance of every replicated queue (its definition, bindings, arguments); on the
 * nodes that do not host it that instance only names it, and these calls go to its home instead.
 * Answers are futures completed on a link's loop: the channel hands them back to its own loop.
 */
public final class RemoteQueues {
    private final NodeLinks links;
    private final BiFunction<String, String, String> homeOf;
    private final Map<QueueConsumer, PeerLink.Subscription> subscriptions = new ConcurrentHashMap<>();

    public RemoteQueues(NodeLinks links, BiFunction<String, String, String> homeOf) {
        this.links = links;
        this.homeOf = homeOf;
    }

    /** The node hosting {@code q} when it is not this one; null for a queue here (exclusive ones always are). */
    public String remoteHome(Queue q) {
        if (q.exclusive()) {
            return null;
        }
        String home = homeOf.apply(q.vhost().name(), q.name());
        return home == null || home.equals(links.selfName()) ? null : home;
    }

    /** 404 "home node ... is down or inaccessible" when {@code q} lives on a node this one cannot reach. */
    public void checkReachable(Queue q) {
        String home = remoteHome(q);
        if (home != null) {
            link(home, q);
        }
    }

    private PeerLink link(String home, Queue q) {
        PeerLink l = links.link(home);
        if (l == null) {
            throw PeerLink.homeDown(home, q);
        }
        return l;
    }

    /**
     * Sends a message routed here to its queues on other nodes, one request per home node. The
     * future (when {@code wantsReply}) says whether every queue took it (false: a queue refused
     * it, or its node could not be reached).
     */
    public CompletableFuture<Boolean> publish(List<Queue> remote, Message msg, boolean wantsReply) {
        Map<String, List<String>> byHome = new LinkedHashMap<>();
        for (Queue q : remote) {
            byHome.computeIfAbsent(remoteHome(q), k -> new ArrayList<>()).add(q.name());
        }
        String vhost = remote.get(0).vhost().name();
        List<CompletableFuture<Boolean>> answers = new ArrayList<>(byHome.size());
        byHome.forEach((home, names) -> {
            PeerLink l = links.link(home);
            if (l == null) {
                answers.add(CompletableFuture.completedFuture(false)); // as a queue that cannot take it
            } else if (!wantsReply) {
                l.send(new LinkMessage.Publish(0, false, vhost, names, msg));
            } else {
                answers.add(l.request(null, corr -> new LinkMessage.Publish(corr, true, vhost, names, msg))
                        .handle((r, failure) -> failure == null && ((LinkMessage.Reply) r).value() == 1));
            }
        });
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(x -> answers.stream().allMatch(CompletableFuture::join));
    }

    /**
     * Subscribes {@code consumer} to {@code q} at its home; completes once the home accepted it
     * (deliveries follow), or fails with the home's AMQP error.
     */
    public CompletableFuture<Void> consume(Queue q, QueueConsumer consumer, int prefetch) {
        PeerLink l = link(remoteHome(q), q);
        PeerLink.Subscription s = l.subscribe(q, consumer);
        subscriptions.put(consumer, s);
        return l.request(q, corr -> new LinkMessage.Consume(corr, s.id(), q.vhost().name(), q.name(), consumer.tag(),
                consumer.noAck(), consumer.exclusive(), prefetch, consumer.priority())).thenAccept(RemoteQueues::check);
    }

    public void cancel(Queue q, QueueConsumer consumer) {
        PeerLink.Subscription s = subscriptions.remove(consumer);
        PeerLink l = s == null ? null : links.link(remoteHome(q));
        if (l != null) {
            l.unsubscribe(s);
        }
    }

    /** What basic.get found at the home: an entry (null: the queue was empty) and the count left. */
    public record Got(QueueEntry entry, int remaining) {
    }

    public CompletableFuture<Got> get(Queue q, boolean noAck) {
        PeerLink l = link(remoteHome(q), q);
        return l.request(q, corr -> new LinkMessage.Get(corr, q.vhost().name(), q.name(), noAck)).thenApply(m -> {
            if (m instanceof LinkMessage.GotMessage g) {
                return new Got(QueueEntry.remote(g.message(), g.id(), g.redelivered()), g.remaining());
            }
            check(m);
            return new Got(null, 0);
        });
    }

    public CompletableFuture<Integer> purge(Queue q) {
        PeerLink l = link(remoteHome(q), q);
        return l.request(q, corr -> new LinkMessage.Purge(corr, q.vhost().name(), q.name()))
                .thenApply(m -> (int) check(m).value());
    }

    /**
     * Settles messages delivered from {@code q}'s home. If the link went meanwhile there is nothing
     * to do: the home put them back when it lost the link.
     */
    public void settle(Queue q, List<QueueEntry> entries, boolean requeue, boolean rejected) {
        PeerLink l = links.link(remoteHome(q));
        if (l == null || entries.isEmpty()) {
            return;
        }
        long[] ids = new long[entries.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = entries.get(i).seq();
        }
        LinkMessage.Settlement kind = requeue ? LinkMessage.Settlement.REQUEUE
                : rejected ? LinkMessage.Settlement.REJECT : LinkMessage.Settlement.ACK;
        l.send(new LinkMessage.Settle(kind, ids));
    }

    private static LinkMessage.Reply check(LinkMessage m) {
        LinkMessage.Reply r = (LinkMessage.Reply) m;
        if (r.code() != 0) {
            throw new ChannelException(r.code(), r.text());
        }
        return r;
    }
}
