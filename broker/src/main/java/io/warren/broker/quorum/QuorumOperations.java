package io.warren.broker.quorum;

import io.warren.broker.BrokerState;
import io.warren.broker.cluster.ClusterDefinitions;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QuorumQueue;
import io.warren.broker.model.VirtualHost;
import io.warren.cluster.ClusterPeer;
import io.warren.cluster.ClusterUnavailableException;
import io.warren.cluster.quorum.MemberStatus;
import io.warren.management.QuorumAdmin;
import io.warren.management.model.AdminException;
import io.warren.management.model.QuorumMemberInfo;
import io.warren.management.model.ReplicaChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * rabbitmq-queues' membership verbs on this node: checks as RabbitMQ 3.10's rabbit_quorum_queue
 * does, in its order and with its reasons, changes the queue's Raft group (see QuorumMembership),
 * then records the new members in the cluster's definitions log so that every node, one restarted
 * later too, knows them. One change at a time per node: a Raft group takes one configuration change
 * at a time, and grow/shrink go through the queues one by one as RabbitMQ's do.
 */
public final class QuorumOperations implements QuorumAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumOperations.class);

    private final BrokerState state;

    public QuorumOperations(BrokerState state) {
        this.state = state;
    }

    @Override
    public void addMember(String vhost, String queue, String node) {
        QuorumQueue q = quorumQueue(vhost, queue);
        if (!running(node)) {
            throw refused("node_not_running");
        }
        if (q.memberNames().contains(node)) {
            return; // rabbitmq-queues 3.10.8 answers this with success too
        }
        add(q, node);
    }

    @Override
    public void deleteMember(String vhost, String queue, String node) {
        QuorumQueue q = quorumQueue(vhost, queue);
        if (!q.memberNames().contains(node)) {
            return; // as rabbitmq-queues 3.10.8: nothing to remove is success (a member on a stopped node can go)
        }
        delete(q, node);
    }

    @Override
    public List<ReplicaChange> grow(String node, String strategy, String vhostPattern, String queuePattern) {
        if (!strategy.equals("all") && !strategy.equals("even")) {
            throw new IllegalArgumentException("strategy '" + strategy + "' is not recognised.");
        }
        Pattern vhosts = pattern(vhostPattern);
        Pattern queues = pattern(queuePattern);
        List<ReplicaChange> out = new ArrayList<>();
        if (!running(node)) {
            return out; // as RabbitMQ: only running nodes get replicas
        }
        for (QuorumQueue q : quorumQueues()) {
            List<String> members = q.memberNames();
            if (members.contains(node) || (strategy.equals("even") && members.size() % 2 != 0)
                    || !vhosts.matcher(q.vhost().name()).find() || !queues.matcher(q.name()).find()) {
                continue;
            }
            LOG.info("{}: adding a new member (replica) on node {}", q, node);
            try {
                add(q, node);
                out.add(new ReplicaChange(q.vhost().name(), q.name(), members.size() + 1, "ok"));
            } catch (AdminException e) {
                LOG.warn("{}: failed to add member (replica) on node {}: {}", q, node, e.detail());
                out.add(new ReplicaChange(q.vhost().name(), q.name(), members.size(), "error: " + e.detail()));
            }
        }
        return out;
    }

    @Override
    public List<ReplicaChange> shrink(String node) {
        List<ReplicaChange> out = new ArrayList<>();
        for (QuorumQueue q : quorumQueues()) {
            List<String> members = q.memberNames();
            if (!members.contains(node)) {
                continue;
            }
            LOG.info("{}: removing member (replica) on node {}", q, node);
            try {
                delete(q, node);
                out.add(new ReplicaChange(q.vhost().name(), q.name(), members.size() - 1, "ok"));
            } catch (AdminException e) {
                LOG.warn("{}: failed to remove member (replica) on node {}: {}", q, node, e.detail());
                out.add(new ReplicaChange(q.vhost().name(), q.name(), members.size(), "error: "
                        + (e.detail().equals("last_node") ? "the last node cannot be removed" : e.detail())));
            }
        }
        return out;
    }

    @Override
    public List<QuorumMemberInfo> status(String vhost, String queue) {
        QuorumQueue q = quorumQueue(vhost, queue);
        QuorumNode node = state.quorum();
        List<QuorumMemberInfo> out = new ArrayList<>();
        try {
            for (MemberStatus m : node.membership().status(QuorumNode.groupId(vhost, queue), node.peersOf(q.memberNames()))) {
                out.add(new QuorumMemberInfo(m.node(), m.raftState(), m.logIndex(), m.commitIndex(), m.snapshotIndex(),
                        m.term()));
            }
        } catch (ClusterUnavailableException e) {
            throw new AdminException(541, "INTERNAL_ERROR - " + e.getMessage());
        }
        return out;
    }

    private void add(QuorumQueue q, String node) {
        QuorumNode n = state.quorum();
        synchronized (n.membership()) { // one change at a time on this node
            addLocked(n, q, node);
        }
    }

    private void addLocked(QuorumNode n, QuorumQueue q, String node) {
        List<String> current = q.memberNames();
        ClusterPeer added = n.peer(node).orElseThrow(() -> refused("node_not_running"));
        try {
            n.membership().add(QuorumNode.groupId(q.vhost().name(), q.name()), n.peersOf(current), added);
        } catch (IOException e) {
            throw notCommitted(q, e);
        }
        List<String> next = new ArrayList<>(current);
        next.add(node);
        record(q, next);
    }

    private void delete(QuorumQueue q, String node) {
        QuorumNode n = state.quorum();
        synchronized (n.membership()) { // one change at a time on this node
            deleteLocked(n, q, node);
        }
    }

    private void deleteLocked(QuorumNode n, QuorumQueue q, String node) {
        List<String> current = q.memberNames();
        if (current.size() == 1) {
            throw refused("last_node"); // deleting the last member is not allowed
        }
        ClusterPeer removed = n.peer(node).orElseThrow(() -> refused("not_a_member"));
        try {
            n.membership().remove(QuorumNode.groupId(q.vhost().name(), q.name()), n.peersOf(current), removed);
        } catch (IOException e) {
            throw notCommitted(q, e);
        }
        List<String> next = new ArrayList<>(current);
        next.remove(node);
        record(q, next);
    }

    /** The group changed: every node learns the new members through the definitions log. */
    private void record(QuorumQueue q, List<String> members) {
        ClusterDefinitions cluster = state.cluster();
        if (cluster != null) {
            cluster.recordQuorumMembers(q.vhost().name(), q.name(), members);
        }
    }

    private QuorumQueue quorumQueue(String vhost, String queue) {
        VirtualHost v = state.vhost(vhost);
        AmqpQueue q = v == null ? null : v.queue(queue);
        if (q == null) {
            throw new AdminException(404, "NOT_FOUND - no queue '" + queue + "' in vhost '" + vhost + "'");
        }
        if (!(q instanceof QuorumQueue qq)) {
            throw refused("classic_queue_not_supported");
        }
        return qq;
    }

    private List<QuorumQueue> quorumQueues() {
        List<QuorumQueue> out = new ArrayList<>();
        for (VirtualHost v : state.vhosts()) {
            for (AmqpQueue q : v.queues()) {
                if (q instanceof QuorumQueue qq) {
                    out.add(qq);
                }
            }
        }
        out.sort(Comparator.comparing((QuorumQueue q) -> q.vhost().name()).thenComparing(QuorumQueue::name));
        return out;
    }

    private boolean running(String node) {
        ClusterDefinitions cluster = state.cluster();
        if (cluster == null) {
            return node.equals(state.nodeName());
        }
        return cluster.members().stream().anyMatch(m -> m.name().equals(node) && m.running());
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid pattern '" + regex + "': " + e.getDescription());
        }
    }

    private static AdminException refused(String reason) {
        return new AdminException(400, "PRECONDITION_FAILED - " + reason);
    }

    private static AdminException notCommitted(QuorumQueue q, IOException e) {
        LOG.info("{}: membership change not committed: {}", q, e.getMessage());
        return new AdminException(541, "INTERNAL_ERROR - " + e.getMessage());
    }
}
