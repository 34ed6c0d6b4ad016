package io.warren.broker.stream;

import io.warren.broker.model.Message;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;
import io.warren.storage.StreamLog;
import io.warren.storage.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a stream's consumers on the stream's reader thread. Each consumer has its own cursor (a
 * {@link StreamReader}) and gets messages while it has credit: the broker holds, per consumer, only what
 * it handed out and the client has not acked (its prefetch), however far behind it is. A pass is run
 * whenever something may have changed: a new consumer, a commit, credit coming back.
 */
final class StreamDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDispatcher.class);
    /** Deliveries per consumer per turn, so one fast consumer does not hold up the others. */
    private static final int TURN = 64;

    /** One consumer's place in the stream. */
    private static final class Cursor {
        final QueueConsumer consumer;
        final Object offsetSpec;
        /** The stream's end when the consumer subscribed: "next", "last" and times are relative to it. */
        final long endAtSubscribe;
        StreamReader reader;       // opened on the first turn (resolving the offset may read)
        StreamLog.Entry held;      // read but not yet reserved for (at most one per consumer)

        Cursor(QueueConsumer consumer, Object offsetSpec, long endAtSubscribe) {
            this.consumer = consumer;
            this.offsetSpec = offsetSpec;
            this.endAtSubscribe = endAtSubscribe;
        }

        void close() {
            if (reader != null) {
                reader.close();
            }
            held = null;
        }
    }

    private final StreamQueue queue;
    private final CompletableFuture<StreamLog> opening;
    private final ExecutorService thread;
    private final List<Cursor> cursors = new ArrayList<>();       // reader thread only
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    StreamDispatcher(StreamQueue queue, CompletableFuture<StreamLog> opening, ExecutorService thread) {
        this.queue = queue;
        this.opening = opening;
        this.thread = thread;
        opening.thenRun(this::wake); // consumers that came while the log was being opened
    }

    /** The consumer starts at its x-stream-offset, resolved on the reader thread (it may read a segment). */
    void add(QueueConsumer c, Object offsetSpec) {
        // the end as the client's basic.consume found it (an in-memory read): a message published after
        // the consume-ok is one the consumer starting at "next" (or at a future time) must get
        long endNow = opening.isDone() && !opening.isCompletedExceptionally() ? opening.join().end() : Long.MAX_VALUE;
        run(() -> {
            if (!closed) {
                cursors.add(new Cursor(c, offsetSpec, endNow));
                serve();
            }
        });
    }

    void remove(QueueConsumer c) {
        run(() -> cursors.removeIf(k -> {
            if (k.consumer != c) {
                return false;
            }
            k.close();
            return true;
        }));
    }

    /** From any thread: run a pass soon (coalesced). */
    void wake() {
        if (!closed && !scheduled.get() && scheduled.compareAndSet(false, true)) {
            run(this::pass);
        }
    }

    /** On the reader thread; nothing if the stream was deleted meanwhile (its thread is gone). */
    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException deleted) {
            // the stream is gone: its consumers were cancelled with it
        }
    }

    private void pass() {
        scheduled.set(false);
        if (!closed) {
            serve();
        }
    }

    private void serve() {
        StreamLog log = opening.isDone() ? StreamQueue.logOf(opening) : null;
        if (log == null) {
            return; // not open yet (a pass follows the opening) or not openable (logged then)
        }
        boolean progress = true;
        while (progress && !closed) {
            progress = false;
            for (int i = 0; i < cursors.size(); i++) {
                progress |= turn(log, cursors.get(i));
            }
        }
    }

    /**
     * Up to {@link #TURN} deliveries to one consumer; true if it got that many (and may take more). A
     * message is read before credit is taken (a reserved delivery must be made), so a consumer without
     * credit may hold the one message read for it.
     */
    private boolean turn(StreamLog log, Cursor k) {
        if (k.reader == null) {
            k.reader = log.reader(StreamOffset.resolve(k.offsetSpec, log, System.currentTimeMillis(), k.endAtSubscribe));
        }
        int n = 0;
        while (n < TURN) {
            if (k.held == null) {
                if (!k.reader.hasNext()) {
                    break;
                }
                try {
                    k.held = k.reader.next();
                } catch (RuntimeException ex) {
                    LOG.error("{}: cannot read offset {}: {}", queue, k.reader.position(), ex.toString());
                    return false;
                }
                if (k.held == null) {
                    break;
                }
            }
            if (!k.consumer.tryReserve()) {
                break;
            }
            StreamLog.Entry e = k.held;
            k.held = null;
            queue.handedOut();
            k.consumer.deliver(queue, new QueueEntry(new Message(e.exchange(), e.routingKey(), e.properties(), e.body()),
                    e.offset()));
            n++;
        }
        return n == TURN;
    }

    /** On the reader thread: stops serving and closes every cursor. */
    void close() {
        closed = true;
        cursors.forEach(Cursor::close);
        cursors.clear();
    }
}
