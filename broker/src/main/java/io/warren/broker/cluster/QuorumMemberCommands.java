package io.warren.broker.cluster;

import io.warren.broker.BrokerState;
import io.warren.broker.error.ChannelException;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QuorumQueue;
import io.warren.broker.model.VirtualHost;
import io.warren.broker.quorum.QuorumNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of quorum queues in the cluster's definitions log: a {@code queue.members} command
 * records a queue's new members after add_member / delete_member changed its Raft group (and the
 * definitions snapshot holds one per quorum queue), so every node, a restarted one too, knows
 * which groups it serves and shows the same members.
 */
final class QuorumMemberCommands {
    private QuorumMemberCommands() {
    }

    static Map<String, Object> members(String vhost, String queue, List<String> nodes) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("op", "queue.members");
        c.put("vhost", vhost);
        c.put("name", queue);
        c.put("members", new ArrayList<>(nodes));
        return c;
    }

    /** Applies a {@code queue.members} command. */
    static void apply(BrokerState state, VirtualHost v, String queue, List<String> nodes) {
        AmqpQueue q = v.queue(queue);
        if (!(q instanceof QuorumQueue qq)) {
            throw ChannelException.notFound("no quorum queue '" + queue + "' in vhost '" + v.name() + "'");
        }
        QuorumNode node = state.quorum();
        node.placement().put(v.name(), queue, nodes);
        qq.useMembers(node.peersOf(nodes));
    }

    /** After a queue.declare was applied: {@link #recordDeclared}, for that queue alone. */
    static void recordDeclared(BrokerState state, VirtualHost v, String queue) {
        if (v != null && v.queue(queue) instanceof QuorumQueue q && state.quorum().placement().get(v.name(), queue) == null) {
            record(state.quorum(), q);
        }
    }

    /**
     * After a declare or a definitions import was applied: a quorum queue that existed before (this
     * node recovered it from its disk) and has no recorded members gets them now, as the other
     * nodes chose them when they applied the same entry. In name order, the same on every node.
     */
    static void recordDeclared(BrokerState state, long index) {
        QuorumNode node = state.quorum();
        List<QuorumQueue> unrecorded = new ArrayList<>();
        for (VirtualHost v : state.vhosts()) {
            for (AmqpQueue q : v.queues()) {
                if (q instanceof QuorumQueue qq && node.placement().get(v.name(), q.name()) == null
                        && state.creationIndexes().queue(v.name(), q.name()) <= index) {
                    unrecorded.add(qq);
                }
            }
        }
        unrecorded.sort(Comparator.comparing((QuorumQueue q) -> q.vhost().name()).thenComparing(QuorumQueue::name));
        unrecorded.forEach(q -> record(node, q));
    }

    private static void record(QuorumNode node, QuorumQueue q) {
        List<String> nodes = node.placement().recordIfAbsent(q.vhost().name(), q.name(), q.initialGroupSize(),
                node.nodeNames(), node.declaringNode(), q.leaderLocator());
        q.useMembers(node.peersOf(nodes));
    }
}
