package io.warren.broker.cluster.link;

import io.warren.broker.error.ChannelException;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;
import io.warren.broker.quorum.QuorumRelay;
import io.warren.codec.AmqpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link QuorumRelay} of one quorum queue on a node without a member: this node's consumers
 * are attached at a member over the link exactly as consumers of a classic queue homed elsewhere
 * ({@link RemoteConsumer} on the member, which delivers with its own queue code and reads the
 * bodies from its log), and basic.get is asked there. The member used is the group's leader when
 * this node first needs one and knows it (fewest hops), else the first member whose link is up; it
 * stays the one used while its link is up, so that this node's commands keep their order.
 *
 * <p>Why a member delivers rather than the group: which message goes to which consumer is decided
 * when the log is applied, and only members apply it and hold the bodies. Letting a member serve
 * the consumer reuses the link's delivery, credit and settlement code unchanged; the alternatives
 * (the leader pushing bodies to non-members and resending on every leader change) need a second
 * delivery path with its own de-duplication.
 *
 * <p>When the member's link goes (it died, or the link dropped), the consumer is attached again at
 * another member, at once or every {@link #RETRY_MS} until one is reachable: the client keeps its
 * consumer and sees no basic.cancel. What the lost member had delivered and not seen settled goes
 * back to the queue there (a dead member's consumers are returned by the leader's
 * {@code DeadMemberWatch}), so it is delivered again, once; the client's settlements of the lost
 * deliveries are dropped here, as they would be for a closed channel.
 */
public final class MemberRelay implements QuorumRelay {
    private static final Logger LOG = LoggerFactory.getLogger(MemberRelay.class);
    /** How often a consumer that no member could take tries again. */
    static final long RETRY_MS = 1000;

    private final Supplier<NodeLinks> links;
    private final AmqpQueue queue;
    /** The group's members as the cluster's log records them (add_member / delete_member change them). */
    private final Supplier<List<String>> members;
    private final Supplier<String> leader;
    private final Map<QueueConsumer, Attachment> attached = new ConcurrentHashMap<>();
    /** Each delivered or got entry not yet settled -> the link it came over, where it is settled. */
    private final Map<QueueEntry, PeerLink> origins = Collections.synchronizedMap(new IdentityHashMap<>());
    private volatile int lastRemaining;
    /** The member last used (see {@link #member}), or null. */
    private volatile String used;

    private MemberRelay(Supplier<NodeLinks> links, AmqpQueue queue, Supplier<List<String>> members, Supplier<String> leader) {
        this.links = links;
        this.queue = queue;
        this.members = members;
        this.leader = leader;
    }

    /** The relays of this node's quorum queues, over these links. */
    public static QuorumRelay.Factory factory(Supplier<NodeLinks> links) {
        return (q, members, leader) -> new MemberRelay(links, q, members, leader);
    }

    /** One consumer of this node and where it is attached now. */
    private static final class Attachment {
        final QueueConsumer consumer;
        int generation;                     // guarded by this: each attempt's callbacks act only while current
        PeerLink link;                      // guarded by this
        PeerLink.Subscription subscription; // guarded by this
        boolean removed;                    // guarded by this

        Attachment(QueueConsumer consumer) {
            this.consumer = consumer;
        }
    }

    /**
     * The link to the member to use: the one used last while its link is up and it is still a member,
     * else the known leader's, else the first member's that is up. Staying with one member keeps this
     * node's commands for the queue in their order: a reject with requeue and the basic.get after it
     * reach the group through that member's one submitter, in that order; through two members they
     * would race (seen: the get answered before the reject was applied).
     */
    private PeerLink member() {
        NodeLinks l = links.get();
        if (l == null) {
            return null;
        }
        List<String> m = members.get();
        String last = used;
        PeerLink p = last != null && m.contains(last) ? l.link(last) : null;
        String preferred = leader.get();
        if (p == null && preferred != null && m.contains(preferred)) {
            p = l.link(preferred);
            last = preferred;
        }
        for (int i = 0; p == null && i < m.size(); i++) {
            p = l.link(m.get(i));
            last = m.get(i);
        }
        used = p == null ? null : last;
        return p;
    }

    @Override
    public void addConsumer(QueueConsumer consumer) {
        Attachment a = new Attachment(consumer);
        attached.put(consumer, a);
        attach(a, 0);
    }

    /** Attaches (again) unless the consumer went or another attempt superseded {@code generation}. */
    private void attach(Attachment a, int generation) {
        PeerLink link;
        PeerLink.Subscription s;
        int current;
        synchronized (a) {
            if (a.removed || a.generation != generation) {
                return;
            }
            current = ++a.generation;
            link = member();
            a.link = link;
            if (link == null) {
                a.subscription = null;
                s = null;
            } else {
                s = link.subscribe(queue, new Relayed(a, link, current), () -> { }, () -> attach(a, current));
                a.subscription = s;
            }
        }
        if (link == null) {
            retryLater(a, current);
            return;
        }
        QueueConsumer c = a.consumer;
        link.request(queue, corr -> new LinkMessage.Consume(corr, s.id(), queue.vhost().name(), queue.name(), c.tag(),
                c.noAck(), c.exclusive(), c.prefetch(), c.priority(), c.place())).whenComplete((r, failure) -> {
                    if (failure != null) {
                        retryLater(a, current); // the link went before the answer
                        return;
                    }
                    LinkMessage.Reply reply = (LinkMessage.Reply) r;
                    if (reply.code() == 0) {
                        return;
                    }
                    link.unsubscribe(s);
                    if (reply.code() == AmqpConstants.NOT_FOUND) {
                        retryLater(a, current); // the member is starting and does not have the queue yet
                    } else { // refused there (exclusive use): as for a classic queue on another node
                        LOG.info("{}: consumer '{}' refused by member '{}': {}", queue, c.tag(), link.node(), reply.text());
                        ended(a);
                    }
                });
    }

    private void retryLater(Attachment a, int generation) {
        CompletableFuture.delayedExecutor(RETRY_MS, TimeUnit.MILLISECONDS).execute(() -> attach(a, generation));
    }

    /** The member ended the consumer (the queue went, or a refusal): the client gets basic.cancel. */
    private void ended(Attachment a) {
        if (attached.remove(a.consumer, a)) {
            synchronized (a) {
                a.removed = true;
            }
            a.consumer.cancelledByBroker(queue);
        }
    }

    @Override
    public void removeConsumer(QueueConsumer consumer) {
        remove(consumer, false);
    }

    /** {@code moving}: the consumer goes to another object of this node and keeps its place at the member. */
    private void remove(QueueConsumer consumer, boolean moving) {
        Attachment a = attached.remove(consumer);
        if (a == null) {
            return;
        }
        PeerLink link;
        PeerLink.Subscription s;
        synchronized (a) {
            a.removed = true;
            link = a.link;
            s = a.subscription;
        }
        if (link != null && s != null) {
            link.unsubscribe(s, moving); // the member gives back what it assigned and never sent
        }
    }

    @Override
    public CompletableFuture<QueueEntry> get(boolean noAck) {
        PeerLink link = member();
        if (link == null) {
            return CompletableFuture.failedFuture(new ChannelException(AmqpConstants.INTERNAL_ERROR,
                    "INTERNAL_ERROR - no member of " + queue + " (" + String.join(", ", members.get()) + ") can be reached"));
        }
        return link.request(queue, corr -> new LinkMessage.Get(corr, queue.vhost().name(), queue.name(), noAck))
                .thenApply(m -> {
                    if (m instanceof LinkMessage.GotMessage g) {
                        lastRemaining = g.remaining();
                        QueueEntry e = QueueEntry.remote(g.message(), g.id(), g.redelivered());
                        if (!noAck) {
                            origins.put(e, link);
                        }
                        return e;
                    }
                    LinkMessage.Reply r = (LinkMessage.Reply) m;
                    if (r.code() != 0) {
                        throw new ChannelException(r.code(), r.text());
                    }
                    lastRemaining = 0;
                    return null;
                });
    }

    @Override
    public int lastRemaining() {
        return lastRemaining;
    }

    /**
     * Each entry is settled over the link it came by; one whose link went is dropped (the member
     * returned it to the queue when it lost the link, or its death did).
     */
    @Override
    public void settle(Collection<QueueEntry> entries, Settlement kind) {
        Map<PeerLink, List<Long>> byLink = new LinkedHashMap<>();
        for (QueueEntry e : entries) {
            PeerLink l = origins.remove(e);
            if (l != null) {
                byLink.computeIfAbsent(l, k -> new ArrayList<>()).add(e.seq());
            }
        }
        LinkMessage.Settlement s = switch (kind) {
            case ACK -> LinkMessage.Settlement.ACK;
            case REJECT -> LinkMessage.Settlement.REJECT;
            case REQUEUE -> LinkMessage.Settlement.REQUEUE;
        };
        byLink.forEach((l, ids) -> l.send(new LinkMessage.Settle(s, ids.stream().mapToLong(Long::longValue).toArray())));
    }

    @Override
    public List<QueueConsumer> clear() {
        List<QueueConsumer> out = new ArrayList<>(attached.keySet());
        out.forEach(this::removeConsumer);
        return out;
    }

    @Override
    public List<QueueConsumer> detachAll() {
        List<QueueConsumer> out = new ArrayList<>(attached.keySet());
        out.forEach(c -> remove(c, true));
        return out;
    }

    /**
     * The consumer as the member's link sees it: records which link each delivery came over, and
     * hands it to the channel's consumer as a delivery of this node's queue.
     */
    private final class Relayed implements QueueConsumer {
        private final Attachment a;
        private final PeerLink link;
        private final int generation;

        Relayed(Attachment a, PeerLink link, int generation) {
            this.a = a;
            this.link = link;
            this.generation = generation;
        }

        @Override
        public String tag() {
            return a.consumer.tag();
        }

        @Override
        public boolean noAck() {
            return a.consumer.noAck();
        }

        @Override
        public boolean exclusive() {
            return a.consumer.exclusive();
        }

        @Override
        public int priority() {
            return a.consumer.priority();
        }

        @Override
        public int prefetch() {
            return a.consumer.prefetch();
        }

        @Override
        public String place() {
            return a.consumer.place();
        }

        @Override
        public boolean tryReserve() {
            return a.consumer.tryReserve();
        }

        @Override
        public void deliver(AmqpQueue q, QueueEntry entry) {
            if (!a.consumer.noAck()) {
                origins.put(entry, link);
            }
            a.consumer.deliver(queue, entry);
        }

        /**
         * The member ended the consumer. If the queue is gone here too, so is the consumer; if not, the
         * member left the queue's group (delete_member: its queue object was replaced and its consumers
         * cancelled), and the consumer is attached again at a member the cluster's log lists now.
         */
        @Override
        public void cancelledByBroker(AmqpQueue q) {
            if (queue.isDeleted()) {
                ended(a);
            } else {
                attach(a, generation);
            }
        }
    }
}
