package io.warren.cluster.quorum;

import io.warren.cluster.quorum.QueueState.Msg;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps each publisher's messages in the order it sent them, as RabbitMQ's quorum queues do with
 * their enqueuers' sequence numbers. A node submits its publishes pipelined through the Ratis
 * client; a retry after a timeout or a leader change can commit a later enqueue before an earlier
 * one. Each enqueue carries its publisher's key ({@code node/...}) and a sequence number from 1, and
 * one that arrives ahead of a gap waits here (its log entry kept) until the gap is filled, or until
 * the publisher gives up on the missing one ({@link QueueCommand.Flush}) or its node is lost.
 * Deterministic: every member holds and releases the same messages at the same log entries.
 */
final class PublisherOrder {
    /** One publisher: the next sequence number it is owed, and what arrived ahead of it. */
    private static final class Enqueuer {
        long next = 1;
        /** Flushed: it waits for nothing any more; a late publish of it is queued as it comes. */
        boolean flushed;
        final TreeMap<Long, Msg> ahead = new TreeMap<>();
    }

    private final Map<String, Enqueuer> enqueuers = new LinkedHashMap<>();
    private int heldCount;

    /** Whether {@code seq} was already taken from {@code publisher} (a command applied twice). */
    boolean isDuplicate(String publisher, long seq) {
        Enqueuer e = enqueuers.get(publisher);
        return e != null && (seq < e.next || e.ahead.containsKey(seq));
    }

    /**
     * Message {@code m} arrived as {@code seq}: the messages that may now be enqueued, in order (maybe
     * none). A null {@code m} is a publish that was refused (a full queue): it only fills its place.
     */
    List<Msg> arrive(String publisher, long seq, Msg m) {
        Enqueuer e = enqueuers.computeIfAbsent(publisher, k -> new Enqueuer());
        if (e.flushed) {
            return m == null ? List.of() : List.of(m);
        }
        if (seq != e.next) {
            e.ahead.put(seq, m);
            heldCount += m == null ? 0 : 1;
            return List.of();
        }
        List<Msg> out = new ArrayList<>();
        out.add(m);
        e.next++;
        while (!e.ahead.isEmpty() && e.ahead.firstKey() == e.next) {
            Msg next = e.ahead.pollFirstEntry().getValue();
            out.add(next);
            heldCount -= next == null ? 0 : 1;
            e.next++;
        }
        return out;
    }

    /**
     * The publisher gave up on what it is still owed: what waited is released in order, and from now
     * on its publishes are queued as they come (one still in flight may commit after this). It is
     * forgotten with its node.
     */
    List<Msg> flush(String publisher) {
        Enqueuer e = enqueuers.computeIfAbsent(publisher, k -> new Enqueuer());
        e.flushed = true;
        heldCount -= held(e);
        List<Msg> out = new ArrayList<>(e.ahead.values());
        e.ahead.clear();
        return out;
    }

    /** A node was lost: its publishers will send nothing more; what they had waiting is released. */
    List<Msg> nodeDown(String node) {
        String prefix = node + "/";
        List<Msg> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Enqueuer>> it = enqueuers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Enqueuer> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                heldCount -= held(e.getValue());
                out.addAll(e.getValue().ahead.values());
                it.remove();
            }
        }
        return out;
    }

    private static int held(Enqueuer e) {
        int n = 0;
        for (Msg m : e.ahead.values()) {
            n += m == null ? 0 : 1;
        }
        return n;
    }

    /** Messages committed and waiting for an earlier one of their publisher. */
    int heldCount() {
        return heldCount;
    }

    void clear() {
        enqueuers.clear();
        heldCount = 0;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(enqueuers.size());
        for (Map.Entry<String, Enqueuer> e : enqueuers.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().next);
            out.writeBoolean(e.getValue().flushed);
            out.writeInt(e.getValue().ahead.size());
            for (Map.Entry<Long, Msg> a : e.getValue().ahead.entrySet()) {
                out.writeLong(a.getKey());
                out.writeLong(a.getValue() == null ? -1 : a.getValue().id); // -1: the place of a refused publish
                out.writeInt(a.getValue() == null ? 0 : a.getValue().size);
                out.writeLong(a.getValue() == null ? QueueState.NEVER : a.getValue().expiry);
            }
        }
    }

    /**
     * Reads what {@link #write} wrote ({@code withExpiry}: with each held message's expiry, written
     * since message TTL); {@code live} gets the ids of held messages.
     */
    void read(DataInputStream in, LiveIndexes live, boolean withExpiry) throws IOException {
        clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Enqueuer e = new Enqueuer();
            String key = in.readUTF();
            e.next = in.readLong();
            e.flushed = in.readBoolean();
            int held = in.readInt();
            if (held < 0) {
                throw new IOException("bad count " + held);
            }
            for (int j = 0; j < held; j++) {
                long seq = in.readLong();
                long id = in.readLong();
                int size = in.readInt();
                long expiry = withExpiry ? in.readLong() : QueueState.NEVER;
                Msg m = id < 0 ? null : new Msg(id, size, 0, expiry);
                e.ahead.put(seq, m);
                if (m != null) {
                    live.add(m.id);
                    heldCount++;
                }
            }
            enqueuers.put(key, e);
        }
    }
}
