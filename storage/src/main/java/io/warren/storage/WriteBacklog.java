package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes submitted to the writer and not yet done with (appended, and synced when every batch syncs).
 * The queue in front of the writer has no bound of its own, because submitters are event loops that must
 * never block; instead, when this passes {@link StoreConfig#writeBacklogBytes()} the listeners are told
 * (the broker stops reading publishers, as under an alarm) and told again once it is down to half. One
 * atomic add per submit and one per batch; listeners hear only of changes.
 */
final class WriteBacklog {
    private static final Logger log = LoggerFactory.getLogger(WriteBacklog.class);

    private record Registration(WriteBacklogListener listener, Executor executor) {
    }

    private final long limit;
    private final AtomicLong bytes = new AtomicLong();
    private final List<Registration> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean behind;

    WriteBacklog(long limit) {
        this.limit = limit;
    }

    /** Any thread: a write of this size was queued. */
    void added(long n) {
        if (bytes.addAndGet(n) > limit && !behind) {
            change();
        }
    }

    /** The writer thread: a batch of this many bytes is done (or failed). */
    void done(long n) {
        if (bytes.addAndGet(-n) <= limit / 2 && behind) {
            change();
        }
    }

    long bytes() {
        return bytes.get();
    }

    boolean behind() {
        return behind;
    }

    /** Decides under a lock, so that racing threads tell listeners each change once and in order. */
    private synchronized void change() {
        long now = bytes.get();
        boolean next = behind ? now > limit / 2 : now > limit;
        if (next == behind) {
            return;
        }
        behind = next;
        if (next) {
            log.warn("storage writes are behind: {} MiB waiting for the disk (bound {} MiB); publishers are held back",
                    now >> 20, limit >> 20);
        } else {
            log.info("storage writes caught up: {} MiB waiting", now >> 20);
        }
        for (Registration r : listeners) {
            notify(r, next, now);
        }
    }

    synchronized void addListener(WriteBacklogListener listener, Executor executor) {
        Registration r = new Registration(listener, executor);
        listeners.add(r);
        notify(r, behind, bytes.get());
    }

    private static void notify(Registration r, boolean behind, long bytes) {
        try {
            r.executor().execute(() -> r.listener().backlogChanged(behind, bytes));
        } catch (RuntimeException e) {
            log.warn("write backlog listener not told: {}", e.toString());
        }
    }
}
