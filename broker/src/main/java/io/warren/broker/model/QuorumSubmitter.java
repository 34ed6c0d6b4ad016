package io.warren.broker.model;

import io.warren.cluster.quorum.PublishSequence;
import io.warren.cluster.quorum.QueueCommand;
import io.warren.cluster.quorum.QuorumQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * How this node's commands reach one quorum queue's group. They go in call order once the group
 * runs: commands made before it ran wait in a FIFO (a CompletableFuture runs its dependents in no
 * promised order, and publish order must be kept). Publishes are numbered for the group's
 * publisher order ({@link PublishSequence}); a publish that fails leaves a gap the later ones
 * would wait for, so a flush is submitted for it, again before the next publish if it fails too.
 */
final class QuorumSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumSubmitter.class);

    private record Waiting(QueueCommand command, CompletableFuture<long[]> result) {
    }

    private final QuorumQueues queues;
    private final UUID id;
    /** For log lines: the queue's name. */
    private final Object queue;
    private final PublishSequence sequence;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Flushes not committed yet (no majority then): submitted again before the next publish. */
    private final ConcurrentLinkedQueue<QueueCommand.Flush> abandoned = new ConcurrentLinkedQueue<>();
    private final SettleBatcher settles = new SettleBatcher();
    /** Guarded by {@link #lock}. */
    private final PublishBatches publishes = new PublishBatches();
    /** Keeps commands in the order they are submitted: acks and publishes that wait go before a command. */
    private final Object lock = new Object();
    private volatile CompletableFuture<Void> ready;

    QuorumSubmitter(QuorumQueues queues, UUID id, String nodeName, Object queue) {
        this.queues = queues;
        this.id = id;
        this.queue = queue;
        this.sequence = new PublishSequence(nodeName);
    }

    /** The group runs (or failed to start) when {@code started} completes: what waited goes then. */
    void start(CompletableFuture<Void> started) {
        this.ready = started;
        started.whenComplete((v, failure) -> flushWaiting(failure));
    }

    /**
     * Submits a command after the acks and publishes that wait to be sent (see {@link SettleBatcher},
     * {@link PublishBatches}): a purge or a basic.get comes after the publishes made before it.
     */
    CompletableFuture<long[]> submit(QueueCommand command) {
        synchronized (lock) { // what waited and this command are submitted in this order
            for (QueueCommand.Settle s : settles.takeAll()) {
                submitQuietlyNow(s);
            }
            while (!publishes.isEmpty()) {
                sendBatch();
            }
            return submitNow(command);
        }
    }

    private CompletableFuture<long[]> submitNow(QueueCommand command) {
        CompletableFuture<Void> r;
        synchronized (waiting) {
            r = ready;
            if (r == null || !r.isDone() || !waiting.isEmpty()) {
                CompletableFuture<long[]> later = new CompletableFuture<>();
                waiting.addLast(new Waiting(command, later));
                return later;
            }
        }
        return r.isCompletedExceptionally() ? r.thenCompose(v -> queues.submit(id, command)) : queues.submit(id, command);
    }

    /** Fire-and-forget commands (acks, cancels): a failure is logged once per command. */
    void submitQuietly(QueueCommand command) {
        if (command instanceof QueueCommand.Settle s) {
            if (settles.add(s.consumer(), s.ids())) {
                sendSettles();
            }
            return;
        }
        logFailure(command, submit(command));
    }

    private void submitQuietlyNow(QueueCommand command) {
        logFailure(command, submitNow(command));
    }

    private void logFailure(QueueCommand command, CompletableFuture<long[]> result) {
        result.whenComplete((r, failure) -> {
            if (failure != null) {
                LOG.info("{}: {} not committed: {}", queue, command.getClass().getSimpleName(),
                        QuorumQueue.cause(failure).getMessage());
            }
        });
    }

    /** Sends the acks that waited as one batch; when it is committed, the ones that came meanwhile. */
    private void sendSettles() {
        List<CompletableFuture<long[]>> sent = new ArrayList<>();
        synchronized (lock) {
            for (QueueCommand.Settle s : settles.takeBatch()) {
                CompletableFuture<long[]> f = submitNow(s);
                logFailure(s, f);
                sent.add(f);
            }
        }
        if (sent.isEmpty()) {
            return;
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((v, failure) -> {
            if (settles.batchDone()) {
                sendSettles();
            }
        });
    }

    /**
     * A publish, numbered after the ones before it; completes with the group's reply to it. It goes
     * in the next batch of publishes (see {@link PublishBatches}).
     */
    CompletableFuture<long[]> publish(int size, byte[] content, long ttl) {
        QueueCommand.Flush f;
        while ((f = abandoned.poll()) != null) {
            flush(f);
        }
        CompletableFuture<long[]> reply = new CompletableFuture<>();
        synchronized (lock) { // numbered and queued in one step: batches keep the numbers' order
            publishes.add(sequence.stamp(size, content, ttl), reply);
            if (publishes.ready()) {
                sendBatch();
            }
        }
        return reply;
    }

    /** Sends the next batch of publishes (under the lock); when it is done, the batch after it. */
    private void sendBatch() {
        PublishBatches.Batch batch = publishes.take();
        if (batch == null) {
            return;
        }
        // the acks that wait go in the same entry: one log write and one Raft round for both
        submitNow(batch.command(settles.takeAll())).whenComplete((replies, failure) -> {
            answer(batch, replies, failure);
            synchronized (lock) {
                publishes.done();
                if (publishes.ready()) {
                    sendBatch();
                }
            }
        });
    }

    private void answer(PublishBatches.Batch batch, long[] replies, Throwable failure) {
        List<CompletableFuture<long[]>> waiting = batch.replies();
        if (failure != null) {
            LOG.info("{}: {} publishes not committed: {}", queue, waiting.size(), QuorumQueue.cause(failure).getMessage());
            String lastKey = null;
            for (QueueCommand.Enqueue e : batch.enqueues()) {
                if (!e.publisher().equals(lastKey)) { // the publishes after them must not wait for them
                    lastKey = e.publisher();
                    flush(sequence.failed(e));
                }
            }
            waiting.forEach(w -> w.completeExceptionally(failure));
            return;
        }
        for (int i = 0; i < waiting.size(); i++) {
            waiting.get(i).complete(i < replies.length ? new long[] {replies[i]} : new long[0]);
        }
    }

    private void flush(QueueCommand.Flush f) {
        submit(f).whenComplete((r, failure) -> {
            if (failure != null) {
                abandoned.add(f);
            }
        });
    }

    /** The group runs (or failed to start): what waited is submitted in the order it came. */
    private void flushWaiting(Throwable failure) {
        while (true) {
            Waiting w;
            synchronized (waiting) {
                w = waiting.peekFirst();
                if (w == null) {
                    return;
                }
                waiting.pollFirst();
                if (failure != null) {
                    w.result().completeExceptionally(failure);
                    continue;
                }
                // submitted under the lock: a command arriving meanwhile queues behind it, in order
                queues.submit(id, w.command()).whenComplete((r, f) -> {
                    if (f != null) {
                        w.result().completeExceptionally(f);
                    } else {
                        w.result().complete(r);
                    }
                });
            }
        }
    }
}
