package io.warren.storage;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages the read thread read past the one it was asked for, kept until a consumer asks for them: a
 * consumer draining a backlog asks for messages in the order they were written, so the next ones it wants
 * usually follow the one it just got. Its loop then takes them from here at once, instead of handing each
 * request to the read thread and waiting for the answer to come back (two thread wake-ups, which cost more
 * than the read).
 *
 * <p>Bounded by count and bytes; the oldest go first. Only the read thread adds (and evicts); any thread
 * takes. A record's bytes never change once written (the journal is append-only), so an entry cannot go
 * stale: at worst nobody asks for it (its queue is not being drained, or it was settled) and it ages out.
 *
 * <p>Each batch read ahead marks one entry, halfway through, with where the batch stopped: taking that one
 * starts the next batch, so a steady reader finds its next messages here before it needs them.
 */
final class ReadAhead {
    /** Records looked at per batch read ahead (messages or not). */
    static final int BATCH = 64;
    /** Entries held at most. */
    static final int MAX_ENTRIES = 512;
    /** Bytes held at most (bodies and their metadata). */
    static final long MAX_BYTES = 2 << 20;

    /** A message read ahead; {@code continueAt >= 0}: taking it should read on from there. */
    record Entry(StoredMessage message, long continueAt) {
    }

    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
    /** Keys in the order they were added; read thread only. Holds taken ones too until they age out. */
    private final ArrayDeque<Long> order = new ArrayDeque<>();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    /** The message at {@code location} if it was read ahead (and forgets it), else null. Any thread. */
    Entry take(long location) {
        Entry e = entries.remove(location);
        if (e != null) bytes.addAndGet(-bytesOf(e.message()));
        return e;
    }

    /** Whether the message at {@code location} is held. */
    boolean holds(long location) {
        return entries.containsKey(location);
    }

    /** Whether a read ahead may add {@code size} more bytes (its bodies so far and the next). */
    boolean room(long size) {
        return bytes.get() + size <= MAX_BYTES;
    }

    /** Read thread only. */
    void put(long location, StoredMessage m, long continueAt) {
        if (entries.put(location, new Entry(m, continueAt)) == null) {
            bytes.addAndGet(bytesOf(m));
            order.addLast(location);
        }
        while (order.size() > MAX_ENTRIES) {
            take(order.pollFirst());
        }
    }

    /** What holding {@code m} costs: its body and metadata. */
    static long bytesOf(StoredMessage m) {
        return (long) m.body().length + m.meta().length;
    }

    /** Held now; tests. */
    int size() {
        return entries.size();
    }
}
