package io.warren.cluster.quorum;

import java.util.ArrayDeque;

/**
 * When a quorum queue's log may be compacted. Bodies stay in the Raft log, so a snapshot at index S
 * may only be used (and the log up to S purged) once no live message has an id at or below S. The
 * state is therefore copied now and then ("release cursors", as RabbitMQ's quorum queues call them)
 * and a copy becomes the snapshot once every message older than it is settled. Copies are taken
 * every {@code max(every, live messages)} entries, so copying costs O(1) per entry amortised even
 * for a deep queue, and at most {@link #MAX_PENDING} wait.
 */
final class ReleaseCursors {
    static final int MAX_PENDING = 16;

    record Cursor(long term, long index, byte[] state) {
    }

    private final long every;
    private final ArrayDeque<Cursor> pending = new ArrayDeque<>();
    private long lastCapture = -1;

    ReleaseCursors(long every) {
        this.every = every;
    }

    /** After the entry at {@code index} was applied: copy the state if it is time. */
    void afterApply(long term, long index, QueueState state) {
        if (lastCapture >= 0 && index - lastCapture < Math.max(every, state.liveCount())) {
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            return; // the oldest must be released first; newer copies would only be memory
        }
        pending.addLast(new Cursor(term, index, state.snapshot()));
        lastCapture = index;
    }

    /** The newest copy whose index is below every live message, or null; older copies are dropped. */
    Cursor releasable(long lowestLive) {
        Cursor found = null;
        while (!pending.isEmpty() && pending.peekFirst().index() < lowestLive) {
            found = pending.pollFirst();
        }
        return found;
    }

    /** The state was replaced (snapshot installed): copies of the old one mean nothing. */
    void reset(long index) {
        pending.clear();
        lastCapture = index;
    }
}
