package io.warren.cluster.quorum;

import io.warren.cluster.quorum.QueueEffect.DeadLetter;
import io.warren.cluster.quorum.QueueEffect.Deliver;
import io.warren.cluster.quorum.QueueEffect.Reason;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
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
 * exactly what is held where.
 */
public final class QueueState {
    private static final int SNAPSHOT_VERSION = 2;
    /** Version 1 had no publisher order (see {@link PublisherOrder}). */
    private static final int SNAPSHOT_VERSION_WITHOUT_ORDER = 1;
    /** reject-publish lets publishes in again once the queue is at or below this share of its limits (RabbitMQ: 0.8). */
    private static final double SOFT_LIMIT = 0.8;

    /** One message: the id is the Raft index of its enqueue. */
    static final class Msg {
        final long id;
        final int size;
        int deliveryCount;

        Msg(long id, int size, int deliveryCount) {
            this.id = id;
            this.size = size;
            this.deliveryCount = deliveryCount;
        }
    }

    /** A consumer, or a basic.get caller holding unacknowledged messages (never active). */
    private static final class Holder {
        final String key;
        int prefetch;
        boolean active;
        final LinkedHashMap<Long, Msg> out = new LinkedHashMap<>();

        Holder(String key) {
            this.key = key;
        }

        boolean hasCredit() {
            return active && (prefetch == 0 || out.size() < prefetch);
        }
    }

    /** The reply to the submitter (see {@link QuorumReplies}) and the effects of one command. */
    public record Outcome(long[] reply, List<QueueEffect> effects) {
    }

    private QueueLimits limits = QueueLimits.NONE;
    private final ArrayDeque<Msg> returned = new ArrayDeque<>();
    private final ArrayDeque<Msg> ready = new ArrayDeque<>();
    private long readyBytes;
    /** reject-publish: a publish took the queue over its limit; publishes are refused until it drains to the soft limit. */
    private boolean blocked;
    /** In round-robin order: a consumer that was just given a message moves to the end. */
    private final LinkedHashMap<String, Holder> holders = new LinkedHashMap<>();
    private final LiveIndexes live = new LiveIndexes();
    private final PublisherOrder order = new PublisherOrder();
    private List<QueueEffect> effects = new ArrayList<>();

    public Outcome apply(long index, QueueCommand command) {
        effects = new ArrayList<>();
        long[] reply = command.applyTo(this, index);
        assign();
        if (blocked && belowSoftLimit()) {
            blocked = false;
        }
        List<QueueEffect> out = effects;
        effects = List.of();
        return new Outcome(reply, out);
    }

    long[] checkout(String consumer, int prefetch) {
        Holder h = holders.computeIfAbsent(consumer, Holder::new);
        h.active = true;
        h.prefetch = Math.max(0, prefetch);
        return QuorumReplies.NONE;
    }

    long[] cancel(String consumer) {
        Holder h = holders.get(consumer);
        if (h != null) {
            h.active = false;
            forgetIfIdle(h);
        }
        return QuorumReplies.NONE;
    }

    long[] remove(String consumer) {
        Holder h = holders.remove(consumer);
        if (h != null) {
            returnAll(h);
        }
        return QuorumReplies.NONE;
    }

    long[] configure(QueueLimits newLimits) {
        limits = newLimits;
        dropHeadWhileOver();
        blocked = limits.overflow() != QueueLimits.Overflow.DROP_HEAD && overLimit();
        return QuorumReplies.NONE;
    }

    long[] nodeDown(String node) {
        order.nodeDown(node).forEach(this::append);
        String prefix = node + "/";
        boolean dropped = false;
        for (Iterator<Holder> it = holders.values().iterator(); it.hasNext(); ) {
            Holder h = it.next();
            if (h.key.startsWith(prefix)) {
                it.remove();
                returnAll(h);
                dropped |= h.active;
            }
        }
        if (dropped) {
            effects.add(new QueueEffect.ConsumersDropped(node));
        }
        return QuorumReplies.NONE;
    }

    /**
     * As RabbitMQ 3.10's quorum queues: with reject-publish the publish that takes the queue over
     * its limit is still taken, the queue then refuses publishes until it is back at 80% of the limit.
     */
    long[] enqueue(long id, int size) {
        return enqueue(id, size, "", 0);
    }

    /**
     * An enqueue that is number {@code seq} of {@code publisher} (empty: no order to keep): taken
     * now, or held until its publisher's earlier messages arrived (see {@link PublisherOrder}). The
     * limits are checked when it arrives.
     */
    long[] enqueue(long id, int size, String publisher, long seq) {
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
        Msg m = new Msg(id, size, 0);
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
        forgetIfIdle(h);
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

    private void forgetIfIdle(Holder h) {
        if (!h.active && h.out.isEmpty()) {
            holders.remove(h.key);
        }
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
        Msg m = pollReady();
        if (m == null) {
            return QuorumReplies.EMPTY;
        }
        if (settle) {
            live.remove(m.id);
        } else {
            holders.computeIfAbsent(consumer, Holder::new).out.put(m.id, m);
        }
        return new long[]{m.id, m.deliveryCount, readyCount()};
    }

    /** Hands ready messages to consumers with credit, round-robin. */
    private void assign() {
        while (readyCount() > 0) {
            Holder to = null;
            for (Holder h : holders.values()) {
                if (h.hasCredit()) {
                    to = h;
                    break;
                }
            }
            if (to == null) {
                return;
            }
            Msg m = pollReady();
            to.out.put(m.id, m);
            effects.add(new Deliver(to.key, m.id, m.deliveryCount));
            holders.remove(to.key); // to the end of the round
            holders.put(to.key, to);
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
        return (int) holders.values().stream().filter(h -> h.active).count();
    }

    public QueueLimits limits() {
        return limits;
    }

    long liveCount() {
        return live.size();
    }

    /** No live message has an id (log index) below this; the log before it is not needed. */
    long lowestLive() {
        return live.lowerBound();
    }

    /** Whether {@code consumer} holds message {@code id} (tests, and validation of a settle). */
    public boolean holds(String consumer, long id) {
        Holder h = holders.get(consumer);
        return h != null && h.out.containsKey(id);
    }

    /** The whole state (no bodies: ids, sizes, delivery counts, holders, limits). */
    byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (int) Math.min(1 << 30, live.size() * 16));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(SNAPSHOT_VERSION);
            limits.write(out);
            out.writeBoolean(blocked);
            out.writeInt(holders.size());
            for (Holder h : holders.values()) {
                out.writeUTF(h.key);
                out.writeInt(h.prefetch);
                out.writeBoolean(h.active);
                writeMsgs(out, h.out.values());
            }
            writeMsgs(out, returned);
            writeMsgs(out, ready);
            order.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces this state with a snapshot's. */
    void restore(byte[] snapshot) {
        returned.clear();
        ready.clear();
        holders.clear();
        live.clear();
        order.clear();
        readyBytes = 0;
        blocked = false;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int version = in.readInt();
            if (version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_WITHOUT_ORDER) {
                throw new IOException("unknown quorum queue snapshot version " + version);
            }
            limits = QueueLimits.read(in);
            blocked = in.readBoolean();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                Holder h = new Holder(in.readUTF());
                h.prefetch = in.readInt();
                h.active = in.readBoolean();
                for (Msg m : readMsgs(in)) {
                    h.out.put(m.id, m);
                    live.add(m.id);
                }
                holders.put(h.key, h);
            }
            for (Msg m : readMsgs(in)) {
                returned.addLast(m);
                readyBytes += m.size;
                live.add(m.id);
            }
            for (Msg m : readMsgs(in)) {
                ready.addLast(m);
                readyBytes += m.size;
                live.add(m.id);
            }
            if (version >= SNAPSHOT_VERSION) {
                order.read(in, live);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt quorum queue snapshot", e);
        }
    }

    private static void writeMsgs(DataOutputStream out, Iterable<Msg> msgs) throws IOException {
        int n = 0;
        for (Msg ignored : msgs) {
            n++;
        }
        out.writeInt(n);
        for (Msg m : msgs) {
            out.writeLong(m.id);
            out.writeInt(m.size);
            out.writeInt(m.deliveryCount);
        }
    }

    private static List<Msg> readMsgs(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("bad count " + n);
        }
        List<Msg> msgs = new ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            msgs.add(new Msg(in.readLong(), in.readInt(), in.readInt()));
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
        holders.values().forEach(h -> counts.put(h.key, h.out.size()));
        return counts;
    }
}
