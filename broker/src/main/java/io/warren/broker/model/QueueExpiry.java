package io.warren.broker.model;

import io.netty.util.concurrent.EventExecutor;

/**
 * {@code x-expires}: a queue nobody uses is deleted after the period. Declare (passive too),
 * basic.get and basic.consume count as use, and a queue with consumers is always in use. A use only
 * records the time; the one timer checks it when it fires and goes back to sleep for the rest of
 * the period, so a busy queue costs no rescheduling. Used under the owning queue's lock.
 */
final class QueueExpiry {
    private final long period;
    private final QueueTimer timer;
    private long lastUsed;

    QueueExpiry(long period, EventExecutor loop, Runnable onTimer) {
        this.period = period;
        this.timer = new QueueTimer(loop, onTimer);
    }

    void used(long now) {
        lastUsed = now;
    }

    /** Starts the countdown from the last use (the queue has no consumers now). */
    void arm(long now) {
        timer.runBy(lastUsed + period, now);
    }

    /** The timer fired: true if the queue has expired; otherwise it sleeps again if need be. */
    boolean fired(long now, boolean hasConsumers) {
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
        timer.cancel();
    }
}
