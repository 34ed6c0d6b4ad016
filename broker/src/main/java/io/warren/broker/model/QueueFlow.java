package io.warren.broker.model;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A queue's side of publisher credit flow. A queue with consumers whose ready messages pile up beyond
 * {@link #HIGH_MESSAGES} (or {@link #HIGH_BYTES}) is congested: its consumers do not keep up with its
 * publishers, and a publisher that keeps writing only makes the backlog (and the consumers' latency)
 * grow while it takes the CPU the consumers need. Publishing connections then stop reading until the
 * queue drained to half of that (hysteresis, so the flag does not flap), as RabbitMQ's credit flow
 * holds a publisher's reader. A queue without consumers is never congested: a backlog built for
 * later is accepted at full speed.
 *
 * <p>The flag changes under the queue's lock; publishers read it, and wait, without the lock. Waiters (a
 * publishing connection's wake-up, which only schedules a task on its own loop) are woken after the lock
 * is released by whoever ended the congestion.
 */
public final class QueueFlow {
    /** Ready messages beyond which a queue with consumers holds its publishers back. */
    static final int HIGH_MESSAGES = 2000;
    /** The same in bytes of ready bodies, for large messages. */
    static final long HIGH_BYTES = 8L << 20;

    private volatile boolean congested;
    private volatile long episodes; // how often congestion ended: a publisher's exemption lasts one episode
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    /** Any thread: should a publisher to this queue hold back? */
    public boolean congested() {
        return congested;
    }

    /** How often congestion ended: a publisher that gave up waiting stays exempt for one episode. */
    public long episodes() {
        return episodes;
    }

    /** Under the queue's lock, after a publish was appended to the ready messages. */
    void grew(int ready, long bytes, boolean consumers) {
        if (!congested && consumers && (ready >= HIGH_MESSAGES || bytes >= HIGH_BYTES)) {
            congested = true;
        }
    }

    /** Under the queue's lock, after ready messages or consumers may have gone. */
    void check(int ready, long bytes, boolean consumers) {
        if (congested && (!consumers || (ready <= HIGH_MESSAGES / 2 && bytes <= HIGH_BYTES / 2))) {
            congested = false;
            episodes++; // written under the lock only
        }
    }

    /**
     * Any thread: {@code wake} runs (on any thread, once) when congestion ends; false if it is not congested
     * (nothing to wait for). Added first, then the flag is read again: whoever clears the flag polls the
     * waiters after clearing it, so a waiter added before that is woken, and one that finds the flag clear
     * takes itself back (unless a waker already took it: then its wake is on the way).
     */
    public boolean await(Runnable wake) {
        if (!congested) {
            return false;
        }
        waiters.add(wake);
        return congested || !waiters.remove(wake);
    }

    /**
     * For a queue's stand-in on another node of a cluster: sets the flag as the stand-in decided it (its
     * home's report, its link's fullness), one caller at a time; {@link #wakeIfClear} then, outside any lock,
     * wakes the waiting publishers when it was cleared.
     */
    public void reported(boolean nowCongested) {
        if (nowCongested) {
            congested = true;
        } else if (congested) {
            congested = false;
            episodes++;
        }
    }

    /** A waiter gave up (its connection closed or stopped waiting). */
    public void cancel(Runnable wake) {
        waiters.remove(wake);
    }

    /** After the queue's lock is released: wakes every waiter if congestion ended. */
    public void wakeIfClear() {
        if (!congested && !waiters.isEmpty()) {
            Runnable w;
            while ((w = waiters.poll()) != null) {
                w.run();
            }
        }
    }
}
