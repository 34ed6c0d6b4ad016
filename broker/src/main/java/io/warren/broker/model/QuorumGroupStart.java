package io.warren.broker.model;

import io.warren.broker.quorum.QuorumNode;
import io.warren.cluster.ClusterPeer;
import io.warren.cluster.quorum.QueueCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * How one {@link QuorumQueue} object of this node reaches its queue's Raft group: a member creates
 * the group, finds its replica recovered from disk or waits for the first member to create it; a
 * node without a member waits until the group answers. Every command of the object waits for this.
 */
final class QuorumGroupStart {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumGroupStart.class);
    /** How long a node that does not create the group waits for it before sending commands anyway. */
    private static final long GROUP_WAIT_MILLIS = 60_000;

    private final QuorumQueue queue;
    private final QuorumNode node;
    private final UUID id;
    private final List<ClusterPeer> members;
    private final boolean member;

    QuorumGroupStart(QuorumQueue queue, QuorumNode node, UUID id, List<ClusterPeer> members, boolean member) {
        this.queue = queue;
        this.node = node;
        this.id = id;
        this.members = members;
        this.member = member;
    }

    /**
     * Creates the group (or finds it recovered from disk) off the caller's thread; every command
     * waits for this. After a restart, what this node's consumers held before goes back to the queue.
     * Only a declare applied from the cluster's log creates the group: its first member, the intended
     * leader (see QuorumPlacement), creates it and then takes the leadership, whoever won the first
     * election; a queue recovered from this node's disk only finds its replica. An object that replaces
     * another ({@link QuorumQueue#useMembers}) starts after it, and finds the replica add_member made here.
     */
    CompletableFuture<Void> start(QuorumDeliveries deliveries, QuorumTicker ticker, CompletableFuture<Void> predecessor) {
        List<ClusterPeer> m = members;
        boolean mayCreate = node.placementKnown(queue.vhost().name(), queue.name());
        node.queues().bind(id, m);
        // what an earlier run of this node left in the group was released by the object replaced
        CompletableFuture<Void> after = predecessor == null ? null : predecessor.handle((v, failure) -> null);
        if (!member) {
            if (after != null) {
                return after;
            }
            // commands go to the members once the group the first member creates answers; first, what
            // an earlier run of this node left in the group (publishes held back behind one it never
            // sent) is released, as a member does for itself when it is recovered
            return node.whenRunning().thenCompose(v -> node.queues().awaitGroup(id, GROUP_WAIT_MILLIS))
                    .thenCompose(v -> node.queues().submit(id, new QueueCommand.NodeDown(node.nodeName())))
                    .handle((r, failure) -> null); // not committed (no majority): commands go on and fail alone
        }
        node.queues().listen(id, deliveries);
        ticker.start();
        return node.whenRunning().thenCompose(v -> {
            if (after != null) { // add_member opened the group here before the log recorded it
                return after.thenCompose(x -> node.queues().hasReplica(id) ? CompletableFuture.<Void>completedFuture(null)
                        : node.queues().awaitGroup(id, GROUP_WAIT_MILLIS));
            }
            // a replica already running here was recovered from disk (or created by another member)
            boolean recovered = node.queues().hasReplica(id);
            if (recovered) {
                // best effort: the queue starts whether or not this is committed (a member may not have the
                // group yet while the first member still creates it; commands are retried on their own)
                return node.queues().submit(id, new QueueCommand.NodeDown(node.nodeName())).handle((r, failure) -> {
                    if (failure != null) {
                        LOG.info("{}: what this node's consumers held before is not returned yet: {}", queue,
                                QuorumQueue.cause(failure).getMessage());
                    }
                    return null;
                });
            }
            // the first member creates the group on all; the others' replicas appear when it does
            if (mayCreate && m.get(0).name().equals(node.nodeName())) {
                return node.queues().create(id, m, queue.limits()).thenCompose(created -> node.takeLeadership(id, m));
            }
            return node.queues().awaitGroup(id, GROUP_WAIT_MILLIS); // the first member is creating it
        }).whenComplete((v, failure) -> {
            if (failure != null) {
                LOG.warn("{} did not start: {}", queue, failure.getMessage());
            }
        });
    }
}
