package io.warren.broker.stream;

import io.warren.broker.model.Message;
import io.warren.codec.BasicProperties;
import io.warren.storage.StreamLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A stream's appends, on its own writer thread: publishers (on event loops) only queue the message;
 * the writer drains whatever is queued into the log as one batch, makes it durable with one sync
 * (or leaves that to a timer under an interval sync policy), then releases the batch's confirms and
 * wakes the readers. Each message is written with its {@code x-stream-offset} header already in its
 * properties, so a delivery sends the stored bytes as they are. Retention runs after each batch.
 */
final class StreamWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamWriter.class);
    private static final int MAX_BATCH = 4096;

    private record Append(Message message, long arrivedAt, Consumer<Throwable> written) {
    }

    private final String what;
    private final CompletableFuture<StreamLog> opening; // completes on this writer thread, before any batch
    private final ScheduledExecutorService thread;
    private final boolean syncEveryBatch;
    private final Runnable committed;          // wakes the readers
    private final ConcurrentLinkedQueue<Append> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile StreamSettings settings;
    private volatile boolean closed;

    StreamWriter(String what, CompletableFuture<StreamLog> opening, ScheduledExecutorService thread,
                 long syncIntervalMillis, StreamSettings settings, Runnable committed) {
        this.what = what;
        this.opening = opening;
        this.thread = thread;
        this.syncEveryBatch = syncIntervalMillis <= 0;
        this.settings = settings;
        this.committed = committed;
        opening.whenComplete((log, failure) -> kick()); // appends that came while the log was being opened
        if (!syncEveryBatch) {
            thread.scheduleWithFixedDelay(this::syncOnTimer, syncIntervalMillis, syncIntervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    void settings(StreamSettings s) {
        settings = s;
    }

    /** From any thread: queues the message; {@code written} (may be null) runs once it is durable or failed. */
    void append(Message m, Consumer<Throwable> written) {
        pending.add(new Append(m, System.currentTimeMillis(), written));
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::writeBatch);
            } catch (java.util.concurrent.RejectedExecutionException deletedMeanwhile) {
                failAll(new IllegalStateException(what + " is deleted"));
            }
        }
    }

    /** The log; null while it is being opened, or if it could not be (that was logged). Never blocks. */
    StreamLog opened() {
        return opening.isDone() ? StreamQueue.logOf(opening) : null;
    }

    private void kick() {
        if (!pending.isEmpty() && !scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::writeBatch);
            } catch (java.util.concurrent.RejectedExecutionException deletedMeanwhile) {
                failAll(new IllegalStateException(what + " is deleted"));
            }
        }
    }

    private void writeBatch() {
        scheduled.set(false);
        if (!opening.isDone() && !closed) {
            return; // the opening's completion runs a batch (it completes on this thread)
        }
        StreamLog log = opened();
        if (closed || log == null) {
            failAll(new IllegalStateException(what + (closed ? " is deleted" : " could not be opened")));
            return;
        }
        List<Consumer<Throwable>> done = new ArrayList<>();
        Append a;
        int n = 0;
        while (n < MAX_BATCH && (a = pending.poll()) != null) {
            n++;
            Throwable failure = write(log, a);
            if (a.written() != null) {
                if (failure != null) {
                    a.written().accept(failure);
                } else {
                    done.add(a.written());
                }
            }
        }
        Throwable syncFailure = null;
        try {
            log.commit(syncEveryBatch);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("{}: cannot sync the stream: {}", what, e.toString());
            syncFailure = e;
        }
        for (Consumer<Throwable> c : done) {
            c.accept(syncFailure);
        }
        StreamSettings s = settings;
        if (s.maxBytes() > 0 || s.maxAgeMillis() > 0) {
            log.trim(s.maxBytes(), s.maxAgeMillis(), System.currentTimeMillis());
        }
        committed.run();
        if (!pending.isEmpty() && !scheduled.get() && scheduled.compareAndSet(false, true)) {
            thread.execute(this::writeBatch);
        }
    }

    /** Appends one message; the failure if it could not be (too large for a record, I/O). */
    private Throwable write(StreamLog log, Append a) {
        Message m = a.message();
        try {
            byte[] props = withOffset(m.rawProperties(), log.nextOffset());
            byte[] body = m.body();
            long size = (long) props.length + body.length + m.exchange().length() * 3L + m.routingKey().length() * 3L;
            if (size > StreamLog.MAX_RECORD) {
                LOG.warn("{}: refused a message of {} bytes (a stream takes up to {})", what, body.length,
                        StreamLog.MAX_RECORD);
                return new IllegalArgumentException("message too large for a stream");
            }
            log.append(a.arrivedAt(), m.exchange(), m.routingKey(), props, body);
            return null;
        } catch (RuntimeException e) {
            LOG.error("{}: cannot append to the stream: {}", what, e.toString());
            return e;
        }
    }

    private static final byte[] OFFSET_KEY = "x-stream-offset".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** One headers-table entry: shortstr key, 'l', a signed 64-bit value. */
    private static final int ENTRY = 1 + OFFSET_KEY.length + 1 + 8;
    private static final int HEADERS_FLAG = 1 << 13;

    /**
     * The properties with {@code x-stream-offset} added to the headers, as RabbitMQ delivers them. The
     * entry is spliced into the raw bytes (the properties were validated at publish): no decode and
     * re-encode per message. Unusual cases (a second flags word, a publisher's own x-stream-offset
     * header) take the decoding path.
     */
    static byte[] withOffset(byte[] raw, long offset) {
        int flags = ((raw[0] & 0xff) << 8) | (raw[1] & 0xff);
        if ((flags & 1) != 0 || contains(raw, OFFSET_KEY)) {
            return decodedWithOffset(raw, offset);
        }
        int p = 2;
        if ((flags & (1 << 15)) != 0) {
            p += 1 + (raw[p] & 0xff); // content-type
        }
        if ((flags & (1 << 14)) != 0) {
            p += 1 + (raw[p] & 0xff); // content-encoding
        }
        java.nio.ByteBuffer out;
        if ((flags & HEADERS_FLAG) != 0) {
            int tableLength = java.nio.ByteBuffer.wrap(raw, p, 4).getInt();
            int end = p + 4 + tableLength;
            out = java.nio.ByteBuffer.allocate(raw.length + ENTRY);
            out.put(raw, 0, p).putInt(tableLength + ENTRY).put(raw, p + 4, tableLength);
            putEntry(out, offset);
            out.put(raw, end, raw.length - end);
        } else {
            out = java.nio.ByteBuffer.allocate(raw.length + 4 + ENTRY);
            out.putShort((short) (flags | HEADERS_FLAG)).put(raw, 2, p - 2).putInt(ENTRY);
            putEntry(out, offset);
            out.put(raw, p, raw.length - p);
        }
        return out.array();
    }

    private static void putEntry(java.nio.ByteBuffer out, long offset) {
        out.put((byte) OFFSET_KEY.length).put(OFFSET_KEY).put((byte) 'l').putLong(offset);
    }

    private static boolean contains(byte[] raw, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= raw.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (raw[i + j] != key[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] decodedWithOffset(byte[] raw, long offset) {
        BasicProperties p = BasicProperties.decode(raw);
        Map<String, Object> headers = p.headers() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(p.headers());
        headers.put("x-stream-offset", offset);
        return new BasicProperties(p.contentType(), p.contentEncoding(), headers, p.deliveryMode(), p.priority(),
                p.correlationId(), p.replyTo(), p.expiration(), p.messageId(), p.timestamp(), p.type(), p.userId(),
                p.appId(), p.clusterId()).encode();
    }

    private void syncOnTimer() {
        StreamLog log = opened();
        if (closed || log == null) {
            return;
        }
        try {
            log.syncNow();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("{}: cannot sync the stream: {}", what, e.toString());
        }
    }

    /** On the writer thread, after the last batch: nothing is written any more. */
    void close() {
        closed = true;
        failAll(new IllegalStateException(what + " is deleted"));
    }

    private void failAll(Throwable t) {
        Append a;
        while ((a = pending.poll()) != null) {
            if (a.written() != null) {
                a.written().accept(t);
            }
        }
    }
}
