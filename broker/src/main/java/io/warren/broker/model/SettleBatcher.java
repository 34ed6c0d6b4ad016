package io.warren.broker.model;

import io.warren.cluster.quorum.QueueCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's acks to one quorum queue, coalesced. Each settle command is a log entry committed in a
 * Raft round of its own, and a consumer that acks every message made them half of the queue's log. So
 * while {@link #MAX_IN_FLIGHT} batches of settles are being committed, the acks that come meanwhile wait
 * here and then go as one command per holder. The log gets one entry per round instead of one per
 * message. Two batches, not one: an ack frees its consumer's prefetch only once it is applied, and
 * with one batch in flight a consumer at its prefetch limit waited a whole commit round idle before
 * each new batch of acks even started (measured: the consumer fell behind the publisher).
 * <p>
 * Order: {@link QuorumSubmitter} takes what waits here before it submits any other command of this
 * node, so an ack made before a channel's close (which returns the channel's unacked messages) still
 * reaches the log before that close.
 */
final class SettleBatcher {
    /** Holder key → the ids it acked, in the order they came. */
    private final Map<String, List<long[]>> waiting = new LinkedHashMap<>();
    static final int MAX_IN_FLIGHT = 2;
    private int inFlight;

    /** Adds acks; true when a batch may go now, and the caller should send {@link #takeBatch}. */
    synchronized boolean add(String holder, long[] ids) {
        waiting.computeIfAbsent(holder, k -> new ArrayList<>()).add(ids);
        return inFlight < MAX_IN_FLIGHT;
    }

    /**
     * Everything waiting, as one settle per holder (none: empty, also when {@link #MAX_IN_FLIGHT} batches
     * are in flight); a batch is in flight once taken, until {@link #batchDone}.
     */
    synchronized List<QueueCommand.Settle> takeBatch() {
        if (inFlight >= MAX_IN_FLIGHT) {
            return List.of();
        }
        List<QueueCommand.Settle> out = takeAll();
        if (!out.isEmpty()) {
            inFlight++;
        }
        return out;
    }

    /** Everything waiting, for a command that must come after it (the in-flight state is unchanged). */
    synchronized List<QueueCommand.Settle> takeAll() {
        List<QueueCommand.Settle> out = new ArrayList<>(waiting.size());
        waiting.forEach((holder, parts) -> out.add(new QueueCommand.Settle(holder, concat(parts))));
        waiting.clear();
        return out;
    }

    /** A batch in flight was committed (or failed): true when more acks wait to be sent. */
    synchronized boolean batchDone() {
        inFlight--;
        return !waiting.isEmpty();
    }

    private static long[] concat(List<long[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = 0;
        for (long[] p : parts) {
            n += p.length;
        }
        long[] out = new long[n];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
