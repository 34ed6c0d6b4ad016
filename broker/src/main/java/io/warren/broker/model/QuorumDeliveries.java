package io.warren.broker.model;

import io.warren.broker.quorum.QuorumMessageCodec;
import io.warren.broker.quorum.QuorumNode;
import io.warren.cluster.quorum.QueueCommand;
import io.warren.cluster.quorum.QueueEffect;
import io.warren.cluster.quorum.QuorumListener;
import io.warren.codec.BasicProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's consumers of one quorum queue. The group decides, in log order, which message goes
 * to which consumer; the effects of applied commands arrive here on the Raft apply thread and wait
 * in the consumer's pending list until the channel has credit ({@link QueueConsumer#tryReserve}).
 * The body is then read back from this node's copy of the log on the node's delivery thread, never
 * on a Raft or event loop thread, and handed over in queue order. Dead letters are made by the
 * leader only, so a message is dead-lettered once.
 */
final class QuorumDeliveries implements QuorumListener {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumDeliveries.class);
    private static final String X_DELIVERY_COUNT = "x-delivery-count";

    record Removed(String key, long[] undelivered) {
    }

    /** A consumer given up by this object (see {@link #detachAll}): its key and what its client holds. */
    record Detached(String key, long[] kept) {
    }

    /** One local consumer: its name in the log and the deliveries assigned to it but not handed over. */
    private static final class Local {
        final QueueConsumer consumer;
        final String key;
        final ArrayDeque<long[]> pending = new ArrayDeque<>(); // {id, delivery count}
        boolean removed;

        Local(QueueConsumer consumer, String key) {
            this.consumer = consumer;
            this.key = key;
        }
    }

    private final QuorumQueue queue;
    private final QuorumNode node;
    private final UUID id;
    private final LinkedHashMap<QueueConsumer, Local> consumers = new LinkedHashMap<>(); // guarded by this
    private final Map<String, Local> byKey = new HashMap<>();                            // guarded by this
    /**
     * Consumers given up by {@link #detachAll} -> their keys: one cancelled (or whose channel closed)
     * before it moved to the new object is cancelled here, giving up the place its Detach kept.
     */
    private final Map<QueueConsumer, String> detached = new HashMap<>();                 // guarded by this
    /** Message id -> the holder (consumer or basic.get) it was handed to here and that has not settled it. */
    private final Map<Long, String> holders = new ConcurrentHashMap<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();

    QuorumDeliveries(QuorumQueue queue, QuorumNode node, UUID id) {
        this.queue = queue;
        this.node = node;
        this.id = id;
    }

    /** Registers a consumer and checks it out in the log; false if exclusive use forbids it. */
    boolean add(QueueConsumer c) {
        Local l;
        synchronized (this) {
            boolean exclusiveHeld = consumers.keySet().stream().anyMatch(QueueConsumer::exclusive);
            if (exclusiveHeld || (c.exclusive() && !consumers.isEmpty())) {
                return false;
            }
            l = new Local(c, node.newConsumerKey(c.tag()));
            consumers.put(c, l);
            byKey.put(l.key, l);
        }
        queue.checkout(l.key, QuorumQueue.window(c), c.priority(), c.place());
        return true;
    }

    /** The consumer's name in the log, or null if it is not (or no longer) a consumer here. */
    synchronized String keyOf(QueueConsumer c) {
        Local l = consumers.get(c);
        return l == null ? null : l.key;
    }

    /** Unregisters a consumer; returns what was assigned to it and never handed over. */
    synchronized Removed remove(QueueConsumer c) {
        Local l = consumers.remove(c);
        if (l == null) {
            String key = detached.remove(c);
            return key == null ? null : new Removed(key, new long[0]);
        }
        byKey.remove(l.key);
        l.removed = true;
        long[] undelivered = l.pending.stream().mapToLong(p -> p[0]).toArray();
        l.pending.clear();
        return new Removed(l.key, undelivered);
    }

    /** The consumers registered here now. */
    synchronized List<QueueConsumer> consumers() {
        return new ArrayList<>(consumers.keySet());
    }

    /**
     * This object no longer serves its consumers (another one took its place, see
     * {@link QuorumQueue#markReplaced}): each is unregistered; what its client was handed and has not
     * settled stays known here (its acks come through this object). {@code detach} runs for each
     * under this object's lock, so that no settle of those messages slips between the snapshot and
     * it (see {@link #settle}); it only queues a command.
     */
    synchronized List<QueueConsumer> detachAll(java.util.function.Consumer<Detached> detach) {
        List<QueueConsumer> out = new ArrayList<>(consumers.keySet());
        for (QueueConsumer c : out) {
            Detached d = unregister(c);
            detached.put(c, d.key());
            detach.accept(d);
        }
        return out;
    }

    /**
     * One consumer moves away from this object (see {@link #detachAll}): false if it is not a
     * consumer here. {@code detach} runs under this object's lock, as for {@link #detachAll}.
     */
    synchronized boolean detach(QueueConsumer c, java.util.function.Consumer<Detached> detach) {
        if (!consumers.containsKey(c)) {
            return false;
        }
        detach.accept(unregister(c));
        return true;
    }

    /** Under this object's lock: unregisters a consumer; what its client was handed stays known here. */
    private Detached unregister(QueueConsumer c) {
        Local l = consumers.remove(c);
        byKey.remove(l.key);
        l.removed = true;
        l.pending.clear();
        long[] kept = holders.entrySet().stream().filter(h -> h.getValue().equals(l.key))
                .mapToLong(Map.Entry::getKey).toArray();
        return new Detached(l.key, kept);
    }

    /**
     * Groups delivered entries by the holder they were handed to (forgetting them: they are acked,
     * rejected or requeued now) and passes each group to {@code submit}, under this object's lock,
     * which orders it with {@link #detachAll}: an entry forgotten here is settled before the Detach
     * that no longer keeps it. {@code submit} only queues a command.
     */
    synchronized void settle(java.util.Collection<QueueEntry> entries, java.util.function.BiConsumer<String, long[]> submit) {
        Map<String, List<Long>> grouped = new LinkedHashMap<>();
        for (QueueEntry e : entries) {
            String key = holders.remove(e.seq());
            if (key != null) {
                grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(e.seq());
            }
        }
        grouped.forEach((k, ids) -> submit.accept(k, ids.stream().mapToLong(Long::longValue).toArray()));
    }

    /** The queue was deleted: every consumer goes (the caller cancels them). */
    synchronized List<QueueConsumer> clear() {
        List<QueueConsumer> out = new ArrayList<>(consumers.keySet());
        consumers.values().forEach(l -> l.removed = true);
        consumers.clear();
        byKey.clear();
        holders.clear();
        detached.clear();
        return out;
    }

    @Override
    public void applied(long index, boolean leader, List<QueueEffect> effects) {
        boolean assigned = false;
        List<DeadLetterer.DeadLetter> dead = null;
        DeadLetterer deadLetterer = null;
        Map<String, List<Long>> orphans = null;
        for (QueueEffect effect : effects) {
            if (effect instanceof QueueEffect.Deliver d) {
                synchronized (this) {
                    Local l = byKey.get(d.consumer());
                    if (l != null) {
                        l.pending.addLast(new long[]{d.id(), d.deliveryCount()});
                        assigned = true;
                    } else if (node.ownsConsumerKey(d.consumer())) {
                        // assigned to a consumer of ours removed before its Cancel was applied (a publish
                        // from another node raced it): nobody here will deliver it, so it goes back
                        orphans = orphans == null ? new LinkedHashMap<>() : orphans;
                        orphans.computeIfAbsent(d.consumer(), k -> new ArrayList<>()).add(d.id());
                    }
                }
            } else if (effect instanceof QueueEffect.QueueExpired && leader) {
                node.deliveries().execute(queue::expiredUnused); // deleting is not for the apply thread
            } else if (effect instanceof QueueEffect.ConsumersDropped lost && lost.node().equals(node.nodeName())) {
                checkoutAgain(); // this node was taken for dead but is alive: its consumers go on
            } else if (effect instanceof QueueEffect.DeadLetter x && leader) {
                deadLetterer = deadLetterer == null ? queue.deadLetterer() : deadLetterer;
                if (deadLetterer == null) {
                    continue; // no dead-letter exchange: the message is dropped
                }
                // read now, on the apply thread: once settled, its log entry may be compacted away
                Message m = read(x.id());
                if (m != null) {
                    if (dead == null) {
                        dead = new ArrayList<>();
                    }
                    dead.add(new DeadLetterer.DeadLetter(m, x.reason().xDeathName()));
                }
            }
        }
        if (orphans != null) {
            orphans.forEach((key, ids) -> queue.release(key, ids.stream().mapToLong(Long::longValue).toArray()));
        }
        if (dead != null) {
            DeadLetterer publisher = deadLetterer;
            List<DeadLetterer.DeadLetter> letters = dead;
            node.deliveries().execute(() -> publisher.publish(letters));
        }
        if (assigned) {
            drainSoon();
        }
    }

    /**
     * The group dropped this node's consumers (a leader took the node for dead) and returned what
     * they held: what waited for them is forgotten (it is ready again, for any consumer) and each
     * is checked out again under its name. A client's later acks of what it had are ignored.
     */
    private void checkoutAgain() {
        List<Local> again;
        synchronized (this) {
            again = new ArrayList<>(consumers.values());
            again.forEach(l -> l.pending.clear());
        }
        LOG.info("{}: this node's {} consumer(s) were dropped by the group; checking them out again", queue, again.size());
        again.forEach(l -> queue.checkout(l.key, QuorumQueue.window(l.consumer), l.consumer.priority(), l.consumer.place()));
    }

    void drainSoon() {
        if (drainScheduled.compareAndSet(false, true)) {
            node.deliveries().execute(this::drain);
        }
    }

    /** On the delivery thread: hands pending deliveries to consumers with credit, in order. */
    private void drain() {
        drainScheduled.set(false);
        List<Local> locals;
        synchronized (this) {
            locals = new ArrayList<>(consumers.values());
        }
        for (Local l : locals) {
            List<Long> noAckIds = new ArrayList<>();
            while (true) {
                long[] next;
                // reserve, take and record the holder in one step: a consumer detached meanwhile
                // (detachAll) neither loses credit to a message it never gets nor a message it got
                synchronized (this) {
                    if (l.removed || l.pending.isEmpty() || !l.consumer.tryReserve()) {
                        break; // no credit now: dispatch() drains again after an ack or a qos change
                    }
                    next = l.pending.pollFirst();
                    holders.put(next[0], l.key); // a no-ack one too, until its settle is queued
                }
                QueueEntry e = entry(next[0], (int) next[1], false);
                if (e == null) {
                    holders.remove(next[0]);
                    continue;
                }
                if (l.consumer.noAck()) {
                    noAckIds.add(next[0]);
                }
                delivered.incrementAndGet();
                l.consumer.deliver(queue, e);
            }
            if (!noAckIds.isEmpty()) {
                settleNoAck(l.key, noAckIds);
            }
        }
    }

    /** No-ack deliveries are settled at once; as {@link #settle}, ordered with {@link #detachAll}. */
    private synchronized void settleNoAck(String key, List<Long> ids) {
        queue.submit(new QueueCommand.Settle(key, ids.stream().mapToLong(Long::longValue).toArray()));
        ids.forEach(holders::remove);
    }

    /**
     * The entry for message {@code msgId} read from the local log, with x-delivery-count when it was
     * delivered before (a basic.get always carries it, as RabbitMQ 3.10 sends it); null if unreadable.
     */
    QueueEntry entry(long msgId, int deliveryCount, boolean forGet) {
        Message m = read(msgId);
        if (m == null) {
            return null;
        }
        if (forGet || deliveryCount > 0) {
            BasicProperties p = m.properties();
            Map<String, Object> headers = p.headers() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(p.headers());
            headers.put(X_DELIVERY_COUNT, (long) deliveryCount);
            Message counted = new Message(m.exchange(), m.routingKey(), p.withHeaders(headers), m.body());
            counted.publishedAt(m.publishedAt());
            m = counted;
        }
        QueueEntry e = new QueueEntry(m, msgId);
        if (deliveryCount > 0) {
            e.markRedelivered();
        }
        if (forGet) {
            delivered.incrementAndGet();
        }
        return e;
    }

    private Message read(long msgId) {
        try {
            return QuorumMessageCodec.decode(node.queues().body(id, msgId));
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: message {} cannot be read from the local log: {}", queue, msgId, e.getMessage());
            return null;
        }
    }

    void held(long msgId, String key) {
        holders.put(msgId, key);
    }


    long delivered() {
        return delivered.get();
    }
}
