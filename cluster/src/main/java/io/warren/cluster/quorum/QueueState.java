package io.warren.cluster.quorum;

import io.warren.cluster.quorum.QueueEffect.DeadLetter;
import io.warren.cluster.quorum.QueueEffect.Deliver;
import io.warren.cluster.quorum.QueueEffect.QueueExpired;
import io.warren.cluster.quorum.QueueEffect.Reason;
import io.warren.cluster.quorum.QueueConsumers.Holder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The applied state of one quorum queue, the same on every member: ready messages (returned ones
 * first, as RabbitMQ's quorum queues deliver them), which consumer holds which message, delivery
 * counts and limits. It holds no message bodies: a message is its id (the Raft log index of its
 * enqueue, where the body stays), its size and its delivery count, about 30 bytes.
 *
 * <p>Deterministic and single-threaded (the Raft apply thread): deliveries are decided here, in
 * log order, so every member assigns the same message to the same consumer and a new leader knows
 * exactly what is held where. Time comes only from the leader's stamps on the commands (see
 * {@link StampedCommand}): the queue's clock is the latest stamp applied. As RabbitMQ's quorum
 * queues do, a message's TTL is checked at the head of the queue, before every delivery and
 * basic.get, so an expired message is never handed out.
 */
public final class QueueState {
    /**
     * 1: the first format; 2: with publisher order; 3: with message expiry, priorities, subscription
     * order and the clock; 4: with consumers' places (see {@link QueueConsumers}).
     */
    private static final int SNAPSHOT_VERSION = 4;
    /** Version 1 had no publisher order (see {@link PublisherOrder}). */
    private static final int SNAPSHOT_VERSION_WITHOUT_ORDER = 1;
    private static final int SNAPSHOT_VERSION_WITHOUT_TIME = 2;
    private static final int SNAPSHOT_VERSION_WITH_TIME = 3;
    /** reject-publish lets publishes in again once the queue is at or below this share of its limits (RabbitMQ: 0.8). */
    private static final double SOFT_LIMIT = 0.8;
    /** A message without TTL, a queue that does not expire. */
    static final long NEVER = Long.MAX_VALUE;
    private static final long UNKNOWN = Long.MIN_VALUE;

    /** One message: the id names the Raft log entry of its enqueue (see {@link MessageIds}). */
    static final class Msg {
        final long id;
        final int size;
        int deliveryCount;
        /** The leader's time after which the message is expired; {@link #NEVER} without TTL. */
        final long expiry;

        Msg(long id, int size, int deliveryCount, long expiry) {
            this.id = id;
            this.size = size;
            this.deliveryCount = deliveryCount;
            this.expiry = expiry;
        }
    }

    /** The reply to the submitter (see {@link QuorumReplies}) and the effects of one command. */
    public record Outcome(long[] reply, List<QueueEffect> effects) {
    }

    private QueueLimits limits = QueueLimits.NONE;
    /**
     * Whether a Configure was applied (or a snapshot restored, which always follows one): until then
     * the limits are only the defaults, and the group's first member has not set the queue's own yet.
     */
    private boolean configured;
    private final ArrayDeque<Msg> returned = new ArrayDeque<>();
    private final ArrayDeque<Msg> ready = new ArrayDeque<>();
    private long readyBytes;
    /** reject-publish: a publish took the queue over its limit; publishes are refused until it drains to the soft limit. */
    private boolean blocked;
    private final QueueConsumers holders = new QueueConsumers();
    private final LiveIndexes live = new LiveIndexes();
    private final PublisherOrder order = new PublisherOrder();
    private List<QueueEffect> effects = new ArrayList<>();
    /** The latest leader time applied (never goes back when leaders' clocks differ). */
    private long now = UNKNOWN;
    /**
     * When the queue was last used (x-expires): a consumer subscribed or the last one left, a
     * basic.get. As with RabbitMQ 3.10's quorum queues (checked on a 3.10.8 node), a declare, passive
     * or not, does not count.
     */
    private long lastUsed = UNKNOWN;

    /** Applies a command that carries no time (entries from before stamps; tests). */
    public Outcome apply(long index, QueueCommand command) {
        return apply(index, StampedCommand.NO_TIME, command);
    }

    /** Applies {@code command}, stamped by the leader with {@code time} (or {@link StampedCommand#NO_TIME}). */
    public Outcome apply(long index, long time, QueueCommand command) {
        effects = new ArrayList<>();
        if (time != StampedCommand.NO_TIME && time > now) {
            now = time;
        }
        if (lastUsed == UNKNOWN) {
            lastUsed = now; // x-expires counts from the queue's first command
        }
        long[] reply = command.applyTo(this, index);
        if (holders.endMovesDue(now)) {
            consumerLeft();
        }
        expireHead();
        assign();
        if (blocked && belowSoftLimit()) {
            blocked = false;
        }
        List<QueueEffect> out = effects;
        effects = List.of();
        return new Outcome(reply, out);
    }

    long[] checkout(String consumer, int prefetch, int priority, String place) {
        holders.checkout(consumer, prefetch, priority, place);
        lastUsed = now;
        return QuorumReplies.NONE;
    }

    long[] cancel(String consumer) {
        Holder h = holders.get(consumer);
        if (h != null) {
            holders.deactivate(h, false, NEVER);
            holders.forgetIfIdle(h);
            consumerLeft();
        }
        return QuorumReplies.NONE;
    }

    long[] remove(String consumer) {
        Holder h = holders.remove(consumer);
        if (h != null) {
            returnAll(h);
            consumerLeft();
        }
        return QuorumReplies.NONE;
    }

    /** See {@link QueueCommand.Detach}: applied twice (a resent command), the second finds nothing to release. */
    long[] detach(String consumer, long[] kept, boolean keepPlace) {
        Holder h = holders.get(consumer);
        if (h == null) {
            return QuorumReplies.NONE;
        }
        holders.deactivate(h, keepPlace, now == UNKNOWN ? NEVER : now + QueueConsumers.MOVE_MILLIS);
        java.util.Set<Long> keep = new java.util.HashSet<>();
        for (long id : kept) {
            keep.add(id);
        }
        for (java.util.Iterator<Msg> it = h.out.values().iterator(); it.hasNext(); ) {
            Msg m = it.next();
            if (!keep.contains(m.id)) {
                it.remove();
                returned.addLast(m);
                readyBytes += m.size;
            }
        }
        holders.forgetIfIdle(h);
        consumerLeft();
        return QuorumReplies.NONE;
    }

    /** The x-expires countdown starts when the last consumer goes. */
    private void consumerLeft() {
        if (!holders.inUse()) {
            lastUsed = now;
        }
    }

    long[] configure(QueueLimits newLimits) {
        limits = newLimits;
        configured = true;
        dropHeadWhileOver();
        blocked = limits.overflow() != QueueLimits.Overflow.DROP_HEAD && overLimit();
        return QuorumReplies.NONE;
    }

    /** Whether the queue's own limits were set (see {@link #configured}). */
    boolean configured() {
        return configured;
    }

    long[] nodeDown(String node) {
        order.nodeDown(node).forEach(this::append);
        boolean dropped = false;
        for (Holder h : holders.removeStartingWith(node + "/")) {
            returnAll(h);
            dropped |= h.active;
        }
        consumerLeft();
        if (dropped) {
            effects.add(new QueueEffect.ConsumersDropped(node));
        }
        return QuorumReplies.NONE;
    }

    /** Expiry happens in {@link #apply} after every command; a tick also tells an unused queue it expired. */
    long[] tick() {
        if (expiresAt() <= now) {
            effects.add(new QueueExpired());
        }
        return QuorumReplies.NONE;
    }

    /**
     * As RabbitMQ 3.10's quorum queues: with reject-publish the publish that takes the queue over
     * its limit is still taken, the queue then refuses publishes until it is back at 80% of the limit.
     * The message's TTL is the lower of the queue's and its own, from the leader's stamp.
     */
    long[] enqueue(long id, int size) {
        return enqueue(id, size, "", 0, -1);
    }

    /**
     * An enqueue that is number {@code seq} of {@code publisher} (empty: no order to keep): taken
     * now, or held until its publisher's earlier messages arrived (see {@link PublisherOrder}). The
     * limits are checked when it arrives; its expiry is fixed now, from the leader's stamp.
     */
    long[] enqueue(long id, int size, String publisher, long seq, long ownTtl) {
        boolean ordered = !publisher.isEmpty();
        if (ordered && order.isDuplicate(publisher, seq)) {
            return QuorumReplies.ACCEPTED; // the same publish applied twice: it is in the queue already
        }
        if (blocked) {
            if (limits.overflow() == QueueLimits.Overflow.REJECT_PUBLISH_DLX) {
                effects.add(new DeadLetter(id, Reason.MAXLEN, 0));
            }
            if (ordered) {
                order.arrive(publisher, seq, null).forEach(this::append); // its place is taken: later ones may go
            }
            return QuorumReplies.REJECTED;
        }
        Msg m = new Msg(id, size, 0, expiryOf(ownTtl));
        live.add(id);
        if (!ordered) {
            append(m);
        } else {
            order.arrive(publisher, seq, m).forEach(this::append);
        }
        return QuorumReplies.ACCEPTED;
    }

    /** The publisher gave up on a publish it is owed: what waited behind it goes to the queue. */
    long[] flush(String publisher) {
        order.flush(publisher).forEach(this::append);
        return QuorumReplies.NONE;
    }

    private void append(Msg m) {
        if (m == null) {
            return; // the place of a refused publish
        }
        ready.addLast(m);
        readyBytes += m.size;
        if (limits.overflow() == QueueLimits.Overflow.DROP_HEAD) {
            dropHeadWhileOver();
        } else if (overLimit()) {
            blocked = true;
        }
    }

    private long expiryOf(long ownTtl) {
        long ttl = limits.messageTtl();
        if (ownTtl >= 0 && (ttl < 0 || ownTtl < ttl)) {
            ttl = ownTtl;
        }
        return ttl < 0 || now == UNKNOWN ? NEVER : now + ttl;
    }

    /** Messages past their TTL at the head go (dead-lettered, reason expired), as RabbitMQ checks them. */
    private void expireHead() {
        while (true) {
            Msg m = head();
            if (m == null || m.expiry >= now) {
                return;
            }
            pollReady();
            live.remove(m.id);
            effects.add(new DeadLetter(m.id, Reason.EXPIRED, m.deliveryCount));
        }
    }

    private Msg head() {
        Msg m = returned.peekFirst();
        return m != null ? m : ready.peekFirst();
    }

    private boolean overLimit() {
        return (limits.maxLength() >= 0 && readyCount() > limits.maxLength())
                || (limits.maxBytes() >= 0 && readyBytes > limits.maxBytes());
    }

    private boolean belowSoftLimit() {
        return (limits.maxLength() < 0 || readyCount() <= (long) (limits.maxLength() * SOFT_LIMIT))
                && (limits.maxBytes() < 0 || readyBytes <= (long) (limits.maxBytes() * SOFT_LIMIT));
    }

    private void dropHeadWhileOver() {
        if (limits.overflow() != QueueLimits.Overflow.DROP_HEAD) {
            return;
        }
        while (overLimit()) {
            Msg m = pollReady();
            live.remove(m.id);
            effects.add(new DeadLetter(m.id, Reason.MAXLEN, m.deliveryCount));
        }
    }

    /** What becomes of held messages a command names. */
    enum Disposition {
        /** acknowledged: gone */
        SETTLE,
        /** back to the queue, counted as a delivery (and dead-lettered past the delivery limit) */
        RETURN,
        /** back to the queue uncounted: the client never saw it */
        RELEASE,
        /** rejected without requeue: dead-lettered */
        DISCARD
    }

    long[] settle(String consumer, long[] ids, Disposition what) {
        Holder h = holders.get(consumer);
        if (h == null) {
            return QuorumReplies.NONE;
        }
        for (long id : ids) {
            Msg m = h.out.remove(id);
            if (m == null) {
                continue; // settled twice (a resent command after a leader change): nothing left to do
            }
            switch (what) {
                case RETURN -> requeue(m);
                case RELEASE -> {
                    returned.addLast(m);
                    readyBytes += m.size;
                }
                case SETTLE -> live.remove(id);
                case DISCARD -> {
                    live.remove(id);
                    effects.add(new DeadLetter(id, Reason.REJECTED, m.deliveryCount));
                }
            }
        }
        holders.forgetIfIdle(h);
        return QuorumReplies.NONE;
    }

    /** Every return counts as a delivery; past x-delivery-limit the message is dead-lettered instead. */
    private void requeue(Msg m) {
        m.deliveryCount++;
        if (limits.deliveryLimit() >= 0 && m.deliveryCount > limits.deliveryLimit()) {
            live.remove(m.id);
            effects.add(new DeadLetter(m.id, Reason.DELIVERY_LIMIT, m.deliveryCount));
            return;
        }
        returned.addLast(m);
        readyBytes += m.size;
    }

    private void returnAll(Holder h) {
        for (Msg m : h.out.values()) {
            requeue(m);
        }
        h.out.clear();
    }

    long[] purge() {
        long n = readyCount();
        for (Msg m : returned) {
            live.remove(m.id);
        }
        for (Msg m : ready) {
            live.remove(m.id);
        }
        returned.clear();
        ready.clear();
        readyBytes = 0;
        return new long[]{n};
    }

    long[] dequeue(String consumer, boolean settle) {
        lastUsed = now;
        expireHead();
        Msg m = pollReady();
        if (m == null) {
            return QuorumReplies.EMPTY;
        }
        if (settle) {
            live.remove(m.id);
        } else {
            holders.holder(consumer).out.put(m.id, m);
        }
        return new long[]{m.id, m.deliveryCount, readyCount()};
    }

    /** Hands ready messages to consumers with credit: by priority, round-robin, or the single active one. */
    private void assign() {
        while (readyCount() > 0) {
            Holder to = holders.next(limits.singleActive());
            if (to == null) {
                return;
            }
            Msg m = pollReady();
            to.out.put(m.id, m);
            effects.add(new Deliver(to.key, m.id, m.deliveryCount));
            holders.delivered(to);
        }
    }

    private Msg pollReady() {
        Msg m = returned.pollFirst();
        if (m == null) {
            m = ready.pollFirst();
        }
        if (m != null) {
            readyBytes -= m.size;
        }
        return m;
    }

    public long readyCount() {
        return returned.size() + ready.size();
    }

    public long readyBytes() {
        return readyBytes;
    }

    /** Messages delivered and not yet settled. */
    public long unackedCount() {
        return live.size() - readyCount() - order.heldCount();
    }

    public int consumerCount() {
        return holders.activeCount();
    }

    public QueueLimits limits() {
        return limits;
    }

    /**
     * The leader time after which the head message has expired, or a moving consumer's place is given
     * up (whichever is first); {@link #NEVER} for neither.
     */
    public long nextExpiry() {
        Msg m = head();
        return Math.min(m == null ? NEVER : m.expiry, holders.nextMoveDue());
    }

    /** The leader time from which the queue has expired unused (x-expires); {@link #NEVER} while it is in use. */
    public long expiresAt() {
        if (limits.expires() < 0 || lastUsed == UNKNOWN || holders.inUse()) {
            return NEVER;
        }
        return lastUsed + limits.expires();
    }

    /** With single active consumer: the consumer that receives; otherwise null. */
    public String singleActiveConsumer() {
        if (!limits.singleActive()) {
            return null;
        }
        Holder h = holders.singleActive();
        return h == null ? null : h.key;
    }

    long liveCount() {
        return live.size();
    }

    /** No live message is in a log entry below this index; the log before it is not needed. */
    long lowestLive() {
        long bound = live.lowerBound();
        return bound == Long.MAX_VALUE ? bound : MessageIds.logIndex(bound);
    }

    /** Whether {@code consumer} holds message {@code id} (tests, and validation of a settle). */
    public boolean holds(String consumer, long id) {
        Holder h = holders.get(consumer);
        return h != null && h.out.containsKey(id);
    }

    /** The whole state (no bodies: ids, sizes, delivery counts, expiries, holders, limits, clock). */
    byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (int) Math.min(1 << 30, live.size() * 24));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(SNAPSHOT_VERSION);
            limits.writeFull(out);
            out.writeBoolean(blocked);
            out.writeLong(now);
            out.writeLong(lastUsed);
            holders.write(out);
            writeMsgs(out, returned);
            writeMsgs(out, ready);
            order.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces this state with a snapshot's (either format). */
    void restore(byte[] snapshot) {
        returned.clear();
        ready.clear();
        holders.clear();
        live.clear();
        order.clear();
        readyBytes = 0;
        blocked = false;
        now = UNKNOWN;
        lastUsed = UNKNOWN;
        configured = true;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int version = in.readInt();
            if (version < SNAPSHOT_VERSION_WITHOUT_ORDER || version > SNAPSHOT_VERSION) {
                throw new IOException("unknown quorum queue snapshot version " + version);
            }
            boolean v1 = version < SNAPSHOT_VERSION_WITH_TIME; // the layout before time (versions 1 and 2)
            limits = v1 ? QueueLimits.read(in) : QueueLimits.readFull(in);
            blocked = in.readBoolean();
            if (!v1) {
                now = in.readLong();
                lastUsed = in.readLong();
            }
            holders.read(in, version, live);
            for (Msg m : readMsgs(in, v1)) {
                returned.addLast(m);
                readyBytes += m.size;
                live.add(m.id);
            }
            for (Msg m : readMsgs(in, v1)) {
                ready.addLast(m);
                readyBytes += m.size;
                live.add(m.id);
            }
            if (version >= SNAPSHOT_VERSION_WITHOUT_TIME) {
                order.read(in, live, version >= SNAPSHOT_VERSION_WITH_TIME);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt quorum queue snapshot", e);
        }
    }

    static void writeMsgs(DataOutputStream out, java.util.Collection<Msg> msgs) throws IOException {
        out.writeInt(msgs.size());
        for (Msg m : msgs) {
            out.writeLong(m.id);
            out.writeInt(m.size);
            out.writeInt(m.deliveryCount);
            out.writeLong(m.expiry);
        }
    }

    static List<Msg> readMsgs(DataInputStream in, boolean v1) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("bad count " + n);
        }
        List<Msg> msgs = new ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            msgs.add(new Msg(in.readLong(), in.readInt(), in.readInt(), v1 ? NEVER : in.readLong()));
        }
        return msgs;
    }

    /** For tests: the ids of ready messages in delivery order. */
    List<Long> readyIds() {
        List<Long> ids = new ArrayList<>();
        returned.forEach(m -> ids.add(m.id));
        ready.forEach(m -> ids.add(m.id));
        return ids;
    }

    Map<String, Integer> heldCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        holders.all().forEach(h -> counts.put(h.key, h.out.size()));
        return counts;
    }
}
