package io.warren.broker.model;

import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The deliveries a queue picked under its lock, handed to their consumers after the lock is released.
 * Under the lock the queue only decides (which consumer gets which entry) and appends the pair here;
 * whoever released the lock then calls {@link #drain}. One thread at a time drains, in the order the
 * pairs were picked, so each consumer sees the queue's FIFO order although pickers run on any thread;
 * a thread that finds another draining leaves its pairs to it and goes on (nobody waits). A consumer's
 * channel code therefore never runs under the queue's lock: it may requeue into this or other queues,
 * dead-letter or resume its queues without any lock-ordering hazard between queues.
 */
final class DeliveryHandOff {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryHandOff.class);
    /** Hand-overs per turn before the rest continue as a task: one thread never drains for others forever. */
    static final int TURN = 4096;

    private final Queue queue;
    private final Executor continuation; // the queue's own loop
    // appended under the queue's lock (so in pick order), polled by the one drainer
    private final java.util.Queue<Pick> picked = PlatformDependent.newMpscQueue();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Runnable continueTask = this::continueDrain;

    DeliveryHandOff(Queue queue, Executor continuation) {
        this.queue = queue;
        this.continuation = continuation;
    }

    /** Under the queue's lock: {@code consumer} reserved room for {@code entry}, which left the queue. */
    void add(QueueConsumer consumer, QueueEntry entry) {
        picked.offer(new Pick(consumer, entry));
    }

    /**
     * Without the queue's lock: hands over what was picked, unless another thread is doing so (it then
     * hands over ours too). Re-entered from a consumer (a requeue of a cancelled consumer's delivery),
     * it returns at once and the outer turn delivers what the requeue picked.
     */
    void drain() {
        // the flag is cleared before the emptiness is checked again: a pair added by a thread that saw
        // the flag set is then found here, so none is left behind
        while (!picked.isEmpty() && draining.compareAndSet(false, true)) {
            if (!turn()) {
                return; // the rest continues on the queue's loop, still flagged as draining
            }
            draining.set(false);
        }
    }

    /** Hands over up to {@link #TURN} pairs; false if more remained and a continuation was scheduled. */
    private boolean turn() {
        Pick p;
        int n = 0;
        while ((p = picked.poll()) != null) {
            try {
                p.consumer().deliver(queue, p.entry());
            } catch (RuntimeException e) {
                LOG.error("delivery from {} to consumer '{}' failed", queue, p.consumer().tag(), e);
            }
            if (++n == TURN && !picked.isEmpty()) {
                try {
                    continuation.execute(continueTask);
                    return false;
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    n = 0; // the broker is stopping: finish here
                }
            }
        }
        return true;
    }

    private void continueDrain() {
        if (turn()) {
            draining.set(false);
            drain();
        }
    }

    private record Pick(QueueConsumer consumer, QueueEntry entry) {
    }
}
