package io.warren.broker.model;

import io.warren.cluster.quorum.QuorumQueues;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A quorum queue's counts on a node that holds no member of its group: asked of the group's
 * leader (a read-only query, nothing enters the log), the last answer kept for callers that may not
 * wait (the management API's listings ask again at most once a second).
 */
final class LeaderCounts {
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private final QuorumQueues queues;
    private final UUID id;
    /** {ready, ready bytes, unacked, consumers} as the leader last answered. */
    private volatile long[] last = new long[4];
    private final AtomicLong askedAt = new AtomicLong();

    LeaderCounts(QuorumQueues queues, UUID id) {
        this.queues = queues;
        this.id = id;
    }

    /** The last answer; a new question goes out (not waited for) when that is over a second old. */
    long[] lastKnown() {
        long now = System.nanoTime();
        long asked = askedAt.get();
        if (now - asked > REFRESH_NANOS && askedAt.compareAndSet(asked, now)) {
            ask();
        }
        return last;
    }

    /** Asks the leader; fails when no leader answers within the commit timeout. */
    CompletableFuture<long[]> ask() {
        return queues.leaderCounts(id).thenApply(c -> {
            if (c.length >= 4) {
                last = c;
            }
            return last;
        });
    }

    /** {ready, consumers} for queue.declare-ok: asked now, or the last answer when no leader answers. */
    CompletableFuture<int[]> forDeclare() {
        return ask().handle((c, failure) -> {
            long[] known = failure == null ? c : last;
            return new int[] {(int) Math.min(Integer.MAX_VALUE, known[0]), (int) known[3]};
        });
    }

    /** A basic.get-ok through a member told how many are ready. */
    void ready(long ready) {
        long[] c = last.clone();
        c[0] = ready;
        last = c;
    }
}
