package io.warren.broker.net;

import io.netty.util.concurrent.ScheduledFuture;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publisher credit flow for one connection, as RabbitMQ's credit flow holds a publisher's reader (its
 * connection then shows state {@code flow}): a publish that finds a target queue congested (its
 * consumers fall behind, see {@link QueueFlow}) stops the reading of this connection's socket until
 * that queue drained. Other connections are not affected, and what was read already is handled.
 *
 * <p>Two rules keep it from ever stopping a connection for good:
 * <ul>
 *   <li>A connection with consumers is never held: its acks (and cancels, closes) arrive on the same
 *       socket, so not reading it could stop the very drain it waits for, here or in a cycle of
 *       connections that publish to each other's queues. (RabbitMQ advises separate connections for
 *       publishing and consuming for the same reason.)</li>
 *   <li>A queue that does not drain within {@link #MAX_WAIT_MILLIS} does not hold this connection
 *       again until its congestion ended once: its consumers are slower than its publishers by far,
 *       or stuck, and the backlog builds as it would without consumers (paged to disk).</li>
 * </ul>
 * On the connection's event loop only (wake-ups arrive as tasks on it).
 */
final class PublisherFlow {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherFlow.class);
    /** How long one congestion episode of a queue may hold a publisher. */
    static final long MAX_WAIT_MILLIS = 1000;

    private final AmqpConnection connection;
    private final Map<AmqpQueue, Wait> waits = new HashMap<>(4);  // the queues whose drain this connection awaits
    private Map<AmqpQueue, Long> exempt = Map.of();               // queue -> the episode in which it gave up
    private ScheduledFuture<?> deadline;

    PublisherFlow(AmqpConnection connection) {
        this.connection = connection;
    }

    /** Whether this connection's reading is held back. */
    boolean throttled() {
        return !waits.isEmpty();
    }

    /** A publish of this connection went to {@code q}, which is congested. */
    void congested(AmqpQueue q) {
        if (waits.containsKey(q) || connection.hasConsumers()) {
            return;
        }
        QueueFlow flow = q.flow();
        Long gaveUpIn = exempt.get(q);
        if (gaveUpIn != null) {
            if (gaveUpIn == flow.episodes()) {
                return;
            }
            exempt.remove(q);
        }
        Wait w = new Wait(q);
        if (!flow.await(w)) {
            return; // drained meanwhile
        }
        boolean first = waits.isEmpty();
        waits.put(q, w);
        if (first) {
            deadline = connection.ctx().executor().schedule(this::timedOut, MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            connection.updateAutoRead();
        }
    }

    private void drained(Wait w) {
        if (waits.get(w.queue) != w) {
            return; // a wake-up of a wait given up meanwhile
        }
        waits.remove(w.queue);
        if (waits.isEmpty()) {
            cancelDeadline();
            connection.updateAutoRead();
        }
    }

    /** Queues that kept this connection waiting too long let it publish on (see the class comment). */
    private void timedOut() {
        deadline = null;
        if (waits.isEmpty()) {
            return;
        }
        if (exempt.isEmpty()) {
            exempt = new HashMap<>(4);
        }
        for (Wait w : waits.values()) {
            w.queue.flow().cancel(w);
            exempt.put(w.queue, w.queue.flow().episodes());
            LOG.debug("connection {}: {} did not drain within {} ms, publishing on", connection.remote(), w.queue,
                    MAX_WAIT_MILLIS);
        }
        waits.clear();
        connection.updateAutoRead();
    }

    /** The connection closed: stop waiting. */
    void release() {
        waits.forEach((q, w) -> q.flow().cancel(w));
        waits.clear();
        cancelDeadline();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** One wait for one queue; woken by the queue (any thread), handled on this connection's loop. */
    private final class Wait implements Runnable {
        private final AmqpQueue queue;

        Wait(AmqpQueue queue) {
            this.queue = queue;
        }

        @Override
        public void run() {
            connection.ctx().executor().execute(() -> drained(this));
        }
    }
}
