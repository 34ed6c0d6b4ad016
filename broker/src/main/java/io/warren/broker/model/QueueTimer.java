package io.warren.broker.model;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.ThreadExecutorMap;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One timer of one queue (message expiry, or unused-queue expiry): at most one scheduled task at a
 * time on the queue's event loop, moved earlier when something must happen sooner and never
 * scheduled per message. Used under the owning queue's lock; the task itself takes that lock.
 */
final class QueueTimer {
    private final EventExecutor loop;
    private final Runnable task;
    private ScheduledFuture<?> future;
    private long at = QueueEntry.NO_EXPIRY;

    QueueTimer(EventExecutor loop, Runnable task) {
        this.loop = loop;
        this.task = task;
    }

    /**
     * The event loop of the calling thread (the channel that declared the queue), so a queue's
     * timers run where its clients are; for queues declared elsewhere (management API, start-up)
     * one of the broker's own {@code loops}, never a JVM-wide executor: its timers stop with its broker.
     */
    static EventExecutor loopIn(EventExecutorGroup loops) {
        EventExecutor e = ThreadExecutorMap.currentExecutor();
        return e != null && e.parent() == loops ? e : loops.next();
    }

    /** Makes sure the task runs at {@code when} (epoch ms) at the latest. */
    void runBy(long when, long now) {
        if (when >= at) {
            return;
        }
        cancel();
        try {
            future = loop.schedule(task, Math.max(1, when - now), TimeUnit.MILLISECONDS);
            at = when;
        } catch (RejectedExecutionException e) {
            // the loop is shutting down with the broker: nothing left to expire
        }
    }

    /**
     * Makes sure the task runs at {@code when} (epoch ms): earlier than it was to run, or later when called
     * on the timer's loop, where a move costs a cancel and a schedule and no wake-up. From another thread
     * each of those is a task for the loop, so it stays earlier there: the task then runs early and the
     * queue arms it again.
     */
    void runAt(long when, long now) {
        if (when == at || (when > at && !loop.inEventLoop())) {
            return;
        }
        cancel();
        runBy(when, now);
    }

    /** The task started: the next {@link #runBy} schedules anew. */
    void fired() {
        future = null;
        at = QueueEntry.NO_EXPIRY;
    }

    void cancel() {
        if (future != null) {
            future.cancel(false);
            future = null;
        }
        at = QueueEntry.NO_EXPIRY;
    }
}
