package io.warren.interop;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Polls a condition until it holds or a deadline passes. Only for what has no event to wait on
 * (another node applying a replicated change, a Raft election, a management counter): where the
 * client sees an event (a delivery, a confirm, a cancel), tests wait on that instead.
 */
public final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /** Waits until {@code condition} returns true; an exception it throws counts as "not yet". */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) throws InterruptedException {
        value(what, timeout, () -> Boolean.TRUE.equals(condition.call()) ? Boolean.TRUE : null);
    }

    /**
     * Waits until {@code probe} returns a non-null value and returns it; an exception it throws
     * counts as "not yet" and is named in the failure if it was the last answer.
     */
    public static <T> T value(String what, Duration timeout, Callable<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                T v = probe.call();
                if (v != null) {
                    return v;
                }
                last = null;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("not within " + timeout.toSeconds() + " s: " + what
                        + (last == null ? "" : " (last: " + last + ")"));
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
