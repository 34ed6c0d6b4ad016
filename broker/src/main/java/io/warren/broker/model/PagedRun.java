package io.warren.broker.model;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A run of a durable queue's ready messages that are on disk, kept as columns of primitives
 * instead of objects: per message its store id, journal location, queue sequence number, body
 * size, redelivered flag and a reference to its routing data and property bytes. Consecutive
 * messages with equal routing data and properties share one {@link Routing} (a publisher usually
 * sends the same properties over and over), so a paged message costs about 29 bytes of heap
 * against ~150 for a {@link QueueEntry} with its {@link Message} — and no body.
 *
 * <p>A message leaves the run as a fresh {@link QueueEntry} around a body-less {@link Message}; its
 * body is read back from the store when it is delivered. A paged message that can expire leaves the
 * queue's {@link ExpiryIndex}; the run's first expiry is watched instead, so paged messages expire in
 * queue order (exact for a queue-wide TTL; with per-message TTLs one waits for those before it, as
 * in RabbitMQ). Used under the queue's lock.
 */
final class PagedRun {
    private static final int CHUNK = 4096;

    /** Exchange, routing key and raw content-header properties: what a delivery writes besides the body. */
    record Routing(String exchange, String routingKey, byte[] rawProperties) {
        boolean sameAs(Message m) {
            return rawProperties == m.rawProperties()
                    || (exchange.equals(m.exchange()) && routingKey.equals(m.routingKey())
                    && Arrays.equals(rawProperties, m.rawProperties()));
        }
    }

    private static final class Chunk {
        final long[] storeIds = new long[CHUNK];
        final long[] locations = new long[CHUNK];
        final int[] seqOffsets = new int[CHUNK]; // queue sequence number minus baseSeq
        long baseSeq;
        final int[] bodySizes = new int[CHUNK];
        final Routing[] routings = new Routing[CHUNK];
        final boolean[] redelivered = new boolean[CHUNK];
        long[] expiries;  // allocated with the first message that can expire; null: none can
        int read;   // next to take
        int write;  // next free slot
    }

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private Routing last;          // the routing of the newest message, for sharing
    private QueueEntry peeked;     // the head, made into an entry by peek() and not taken yet
    private BodyReader reader;     // the store the paged bodies are in: that of every pageable message
    private int size;
    private long bytes;

    /** Whether {@code e} can be paged: on disk, so its body can be read back. */
    static boolean pageable(QueueEntry e) {
        Message m = e.message();
        return m.storeId() != 0 && m.location() >= 0;
    }

    /** Appends a {@link #pageable} entry; the entry object and its message may then be dropped. */
    void append(QueueEntry e) {
        Message m = e.message();
        reader = m.bodyReader();
        Routing r = last;
        if (r == null || !r.sameAs(m)) {
            r = new Routing(m.exchange(), m.routingKey(), m.rawProperties());
        }
        append(r, m.bodySize(), m.storeId(), m.location(), e.seq(), e.redelivered(), e.expiresAt());
    }

    /** Appends a message known only by these values (recovery: no entry object is ever made). */
    void append(Routing r, int bodySize, long storeId, long location, long seq, boolean redelivered, long expiresAt) {
        Chunk c = chunks.peekLast();
        if (c == null || c.write == CHUNK || seq < c.baseSeq || seq - c.baseSeq > Integer.MAX_VALUE) {
            c = new Chunk();
            c.baseSeq = seq;
            chunks.addLast(c);
        }
        last = r;
        int i = c.write++;
        c.storeIds[i] = storeId;
        c.locations[i] = location;
        c.seqOffsets[i] = (int) (seq - c.baseSeq);
        c.bodySizes[i] = bodySize;
        c.routings[i] = r;
        c.redelivered[i] = redelivered;
        if (expiresAt != QueueEntry.NO_EXPIRY) {
            if (c.expiries == null) {
                c.expiries = new long[CHUNK];
                java.util.Arrays.fill(c.expiries, QueueEntry.NO_EXPIRY);
            }
            c.expiries[i] = expiresAt;
        } else if (c.expiries != null) {
            c.expiries[i] = QueueEntry.NO_EXPIRY;
        }
        size++;
        bytes += bodySize;
    }

    /** The routing of the newest message, for callers that share it. */
    Routing last() {
        return last;
    }

    /** The first message as an entry (the same object until it is polled), or null when empty. */
    QueueEntry peek() {
        if (peeked == null && size > 0) {
            peeked = materialize(chunks.peekFirst());
        }
        return peeked;
    }

    QueueEntry poll() {
        QueueEntry e = peek();
        if (e == null) {
            return null;
        }
        peeked = null;
        Chunk c = chunks.peekFirst();
        c.routings[c.read] = null;
        c.read++;
        if (c.read == c.write && (c.write == CHUNK || chunks.size() > 1)) {
            chunks.pollFirst();
        } else if (c.read == c.write) {
            c.read = 0; // the only chunk, emptied: reuse it from the start
            c.write = 0;
            c.expiries = null;
        }
        size--;
        bytes -= e.message().bodySize();
        if (size == 0) {
            last = null;
        }
        return e;
    }

    private QueueEntry materialize(Chunk c) {
        int i = c.read;
        Routing r = c.routings[i];
        Message m = Message.onDisk(r.exchange(), r.routingKey(), r.rawProperties(), c.bodySizes[i],
                c.storeIds[i], c.locations[i], reader);
        QueueEntry e = new QueueEntry(m, c.baseSeq + c.seqOffsets[i]);
        if (c.redelivered[i]) {
            e.markRedelivered();
        }
        if (c.expiries != null) {
            e.expiresAt(c.expiries[i]);
        }
        return e;
    }

    /** The first message's queue sequence number; only when not empty. */
    long firstSeq() {
        Chunk c = chunks.peekFirst();
        return c.baseSeq + c.seqOffsets[c.read];
    }

    /** When the first message expires ({@link QueueEntry#NO_EXPIRY} if it cannot, or when empty). */
    long firstExpiry() {
        if (size == 0) {
            return QueueEntry.NO_EXPIRY;
        }
        Chunk c = chunks.peekFirst();
        return c.expiries == null ? QueueEntry.NO_EXPIRY : c.expiries[c.read];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        chunks.clear();
        peeked = null;
        last = null;
        size = 0;
        bytes = 0;
    }
}
