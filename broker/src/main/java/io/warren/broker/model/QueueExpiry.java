package io.warren.broker.model;

import io.netty.util.concurrent.EventExecutor;

/**
 * {@code x-expires}: a queue nobody uses is deleted after the period. Declare (passive too),
 * basic.get and basic.consume count as use, and a queue with consumers is always in use. A use only
 * records the time; the one timer checks it when it fires and goes back to sleep for the rest of
 * the period, so a busy queue costs no rescheduling. Used under the owning queue's lock.
 */
final class QueueExpiry {
    /** A queue without x-expires: every call does nothing and it never fires. */
    static final QueueExpiry NONE = new QueueExpiry(0, null);

    private final long period;
    private final QueueTimer timer;
    private long lastUsed;

    private QueueExpiry(long period, QueueTimer timer) {
        this.period = period;
        this.timer = timer;
    }

    /** The countdown starts now, and runs while the queue has no consumers; {@link #NONE} if {@code period <= 0}. */
    static QueueExpiry start(long period, EventExecutor loop, Runnable onTimer, boolean hasConsumers) {
        if (period <= 0) {
            return NONE;
        }
        QueueExpiry e = new QueueExpiry(period, new QueueTimer(loop, onTimer));
        long now = MessageExpiry.now();
        e.used(now);
        if (!hasConsumers) {
            e.arm(now);
        }
        return e;
    }

    void used(long now) {
        lastUsed = now;
    }

    /** The last consumer went: the countdown starts now. */
    void lastConsumerGone(long now) {
        used(now);
        arm(now);
    }

    /** Starts the countdown from the last use (the queue has no consumers now). */
    void arm(long now) {
        if (timer != null) {
            timer.runBy(lastUsed + period, now);
        }
    }

    /** The timer fired: true if the queue has expired; otherwise it sleeps again if need be. */
    boolean fired(long now, boolean hasConsumers) {
        if (timer == null) {
            return false;
        }
        timer.fired();
        if (hasConsumers) {
            return false; // re-armed when the last consumer goes
        }
        if (now - lastUsed >= period) {
            return true;
        }
        timer.runBy(lastUsed + period, now);
        return false;
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
        }
    }
}
