package io.warren.broker.model;

import io.warren.cluster.quorum.MessageIds;
import io.warren.cluster.quorum.QueueCommand;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * This node's publishes to one quorum queue, grouped into log entries. A Raft round costs the same
 * for one message as for a hundred (an entry appended and synced on a majority, a reply), so while
 * {@link #MAX_IN_FLIGHT} batches are being committed, new publishes wait here and go as one {@link
 * QueueCommand.EnqueueBatch} when one of them is done: a group commit. One in flight, not two: on a
 * machine whose CPU is the limit, every Raft entry costs (append, replication to each follower over
 * gRPC, sync, commit), and halving the entries per round did more than overlapping two rounds.
 * Measured on 3 nodes with 100 confirms outstanding (bench/cluster/quorum-compare.sh): 10,148 msg/s at
 * 135 us CPU per message against 8,840 at 166 with two in flight.
 * <p>
 * Not thread-safe: {@link QuorumSubmitter} guards it with its lock, which also keeps the publishes in
 * the order their sequence numbers were given.
 */
final class PublishBatches {
    static final int MAX_IN_FLIGHT = 1;
    /** A batch stops growing at this much content (a single larger message still goes alone). */
    static final int MAX_BATCH_BYTES = 1 << 20;

    /** Publishes sent as one command, and who waits for each one's reply. */
    record Batch(List<QueueCommand.Enqueue> enqueues, List<CompletableFuture<long[]>> replies) {
        /** The batch as one command, with the acks that wait to be sent (they share its log entry). */
        QueueCommand command(List<QueueCommand.Settle> acks) {
            return enqueues.size() == 1 && acks.isEmpty() ? enqueues.get(0) : new QueueCommand.EnqueueBatch(acks, enqueues);
        }
    }

    private final ArrayDeque<QueueCommand.Enqueue> waiting = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<long[]>> replies = new ArrayDeque<>();
    private int inFlight;

    void add(QueueCommand.Enqueue publish, CompletableFuture<long[]> reply) {
        waiting.addLast(publish);
        replies.addLast(reply);
    }

    /** Whether a batch should go now: publishes wait and fewer than {@link #MAX_IN_FLIGHT} are in flight. */
    boolean ready() {
        return !waiting.isEmpty() && inFlight < MAX_IN_FLIGHT;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** The next batch, counted in flight until {@link #done}; null when nothing waits. */
    Batch take() {
        if (waiting.isEmpty()) {
            return null;
        }
        List<QueueCommand.Enqueue> enqueues = new ArrayList<>(Math.min(waiting.size(), MessageIds.MAX_BATCH));
        List<CompletableFuture<long[]>> futures = new ArrayList<>(Math.min(waiting.size(), MessageIds.MAX_BATCH));
        long bytes = 0;
        while (!waiting.isEmpty() && enqueues.size() < MessageIds.MAX_BATCH) {
            int next = waiting.peekFirst().content().length;
            if (!enqueues.isEmpty() && bytes + next > MAX_BATCH_BYTES) {
                break;
            }
            bytes += next;
            enqueues.add(waiting.pollFirst());
            futures.add(replies.pollFirst());
        }
        inFlight++;
        return new Batch(enqueues, futures);
    }

    /** A batch was committed or failed. */
    void done() {
        inFlight--;
    }
}
