package io.warren.broker.model;

import io.warren.cluster.quorum.QueueCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's acks to one quorum queue, coalesced. Each settle command is a log entry committed in a
 * Raft round of its own, and a consumer that acks every message made them half of the queue's log. So
 * while one batch of settles is being committed, the acks that come meanwhile wait here and then go as
 * one command per holder. The waiting costs an ack nothing it would not have waited anyway (its commit
 * queues behind the one in flight); the log gets one entry per round instead of one per message.
 * <p>
 * Order: {@link QuorumSubmitter} takes what waits here before it submits any other command of this
 * node, so an ack made before a channel's close (which returns the channel's unacked messages) still
 * reaches the log before that close.
 */
final class SettleBatcher {
    /** Holder key → the ids it acked, in the order they came. */
    private final Map<String, List<long[]>> waiting = new LinkedHashMap<>();
    private boolean inFlight;

    /** Adds acks; true when no batch is in flight, and the caller should send {@link #takeBatch} now. */
    synchronized boolean add(String holder, long[] ids) {
        waiting.computeIfAbsent(holder, k -> new ArrayList<>()).add(ids);
        return !inFlight;
    }

    /** Everything waiting, as one settle per holder (none: empty); a batch is in flight once taken. */
    synchronized List<QueueCommand.Settle> takeBatch() {
        List<QueueCommand.Settle> out = takeAll();
        inFlight = inFlight || !out.isEmpty();
        return out;
    }

    /** Everything waiting, for a command that must come after it (the in-flight state is unchanged). */
    synchronized List<QueueCommand.Settle> takeAll() {
        List<QueueCommand.Settle> out = new ArrayList<>(waiting.size());
        waiting.forEach((holder, parts) -> out.add(new QueueCommand.Settle(holder, concat(parts))));
        waiting.clear();
        return out;
    }

    /** The batch in flight was committed (or failed): true when more acks wait to be sent. */
    synchronized boolean batchDone() {
        inFlight = false;
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
