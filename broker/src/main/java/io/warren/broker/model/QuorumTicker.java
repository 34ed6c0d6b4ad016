package io.warren.broker.model;

import io.warren.broker.quorum.QuorumNode;
import io.warren.cluster.quorum.ReplicaTimers;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Time for one quorum queue. The group decides expiry from the leader's clock stamped on commands;
 * when nothing else is submitted, the leader's node submits a Tick once its clock passes the head
 * message's expiry or the queue's x-expires deadline, so a quiet queue still expires on time.
 * Followers never tick, and one Tick at a time is in flight, so an idle queue adds no log entries.
 */
final class QuorumTicker {
    private final QuorumQueue queue;
    private final QuorumNode node;
    private final UUID id;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile Runnable cancel;

    QuorumTicker(QuorumQueue queue, QuorumNode node, UUID id) {
        this.queue = queue;
        this.node = node;
        this.id = id;
    }

    void start() {
        cancel = node.everyTick(this::check);
    }

    void stop() {
        Runnable c = cancel;
        if (c != null) {
            c.run();
        }
    }

    /** On the node's timer thread: reads the replica's published timers (no Raft call unless due). */
    private void check() {
        ReplicaTimers t = node.queues().timers(id);
        if (!t.leader()) {
            return;
        }
        long now = System.currentTimeMillis();
        // a message is expired once the clock is past its expiry; the queue once it reaches its deadline
        boolean due = now > t.nextExpiry() || (now >= t.expiresAt() && !queue.expiring());
        if (due && inFlight.compareAndSet(false, true)) {
            queue.tick().whenComplete((r, failure) -> inFlight.set(false));
        }
    }
}
