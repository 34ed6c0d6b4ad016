package io.warren.broker.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How much a connection's consumers may have been handed by queues and not written to the socket
 * yet: bodies still being read back from the store, hand-overs waiting for the connection's loop or
 * for its socket to drain. Measured in bytes (body size plus a fixed cost per delivery), so a deep
 * queue of large messages cannot pour itself into a consumer that does not read, however big its
 * prefetch (or a no-ack consumer, which has none). Queues ask {@link #open} from any thread before
 * they hand over a message; together with the socket's write-buffer high watermark this bounds what
 * the broker holds for one connection to about {@link #LIMIT_BYTES} plus the watermark.
 */
public final class DeliveryWindow {
    /** Enough for thousands of small messages in flight, which a deep queue's drain needs. */
    public static final long LIMIT_BYTES = 4L << 20;
    /** What one delivery costs besides its body (frames, entry, hand-over). */
    public static final int PER_DELIVERY = 1024;

    private final AtomicLong unwritten = new AtomicLong();
    private volatile boolean full;
    private final Runnable resume;

    DeliveryWindow(Runnable resume) {
        this.resume = resume;
    }

    public static int cost(int bodySize) {
        return bodySize + PER_DELIVERY;
    }

    /** Any thread: may a queue hand over one more delivery? (One may overshoot by a message.) */
    public boolean open() {
        if (unwritten.get() < LIMIT_BYTES) {
            return true;
        }
        // flag first, then look again: the loop either sees the flag or we see its progress
        full = true;
        return unwritten.get() < LIMIT_BYTES;
    }

    /** Any thread: a delivery of this cost was handed over. */
    public void taken(int cost) {
        unwritten.addAndGet(cost);
    }

    /** On the connection's loop: a delivery's content was written (or dropped). Resumes the queues (as a task) when half empty. */
    public void written(int cost) {
        if (unwritten.addAndGet(-cost) < LIMIT_BYTES / 2 && full) {
            full = false;
            resume.run();
        }
    }

    public long unwrittenBytes() {
        return unwritten.get();
    }
}
