package io.warren.broker.quorum;

import io.warren.cluster.quorum.QueueCommand;
import io.warren.cluster.quorum.QuorumQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where this node leads a quorum queue, a member it has not heard from for {@link #SILENT_MILLIS}
 * is taken for dead: a NodeDown command returns what that node's consumers held to the queue, for
 * consumers elsewhere (as RabbitMQ returns a dead node's unacked messages). Once per silence: the
 * node is watched again when it answers again.
 */
final class DeadMemberWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadMemberWatch.class);
    /** Longer than an election timeout (2 s): a slow but live member is not declared dead. */
    static final long SILENT_MILLIS = 5000;

    private final QuorumQueues queues;
    private final Map<UUID, Set<String>> declaredDown = new HashMap<>(); // only the watch thread touches it
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quorum-member-watch");
        t.setDaemon(true);
        return t;
    });

    DeadMemberWatch(QuorumQueues queues) {
        this.queues = queues;
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private void check() {
        try {
            for (UUID q : queues.local()) {
                List<String> silent = queues.silentFollowers(q, SILENT_MILLIS);
                Set<String> down = declaredDown.computeIfAbsent(q, k -> new HashSet<>());
                down.retainAll(silent); // answering again: watched again
                for (String node : silent) {
                    if (down.add(node)) {
                        LOG.info("quorum queue {}: member {} silent for {} ms; returning what its consumers held",
                                q, node, SILENT_MILLIS);
                        queues.submit(q, new QueueCommand.NodeDown(node)).whenComplete((r, failure) -> {
                            if (failure != null) {
                                LOG.info("quorum queue {}: returning {}'s messages not committed: {}", q, node,
                                        failure.getMessage());
                            }
                        });
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("quorum member watch: {}", e.toString()); // keep watching
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
