package io.warren.cluster.quorum;

import io.warren.cluster.ClusterPeer;
import io.warren.cluster.ClusterUnavailableException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Changes and reports the members of a quorum queue's Raft group (RabbitMQ's add_member,
 * delete_member, quorum_status) through Ratis' admin API. Blocking: callers are the management
 * API's workers, never an event loop. A change is a Raft configuration change: the leader first
 * brings a new member up to date (log or snapshot), then commits the new configuration on a majority
 * of the old and of the new members together, so no committed message depends on the member that
 * leaves.
 */
public final class QuorumMembership {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumMembership.class);

    private final QuorumQueues queues;

    public QuorumMembership(QuorumQueues queues) {
        this.queues = queues;
    }

    /**
     * Adds {@code added} to the queue's group whose members are {@code current}: the new member's
     * node opens the group (it is not in its own configuration yet, so it waits for the leader
     * instead of campaigning), then the leader stages it, catches it up and commits the new
     * configuration.
     */
    public void add(UUID queue, List<ClusterPeer> current, ClusterPeer added) throws IOException {
        List<ClusterPeer> next = new ArrayList<>(current);
        next.add(added);
        RaftGroup before = RaftGroup.valueOf(QuorumQueues.group(queue), QuorumQueues.peers(current));
        try (RaftClient c = queues.newClient(RaftGroup.valueOf(QuorumQueues.group(queue), QuorumQueues.peers(next)))) {
            try {
                check(c.getGroupManagementApi(RaftPeerId.valueOf(added.name())).add(before), "opening the group on " + added.name());
            } catch (AlreadyExistsException e) {
                LOG.debug("quorum queue {}: {} already has the group", queue, added.name());
            }
            check(c.admin().setConfiguration(QuorumQueues.peers(next)), "changing the configuration");
        }
        queues.bind(queue, next);
    }

    /**
     * Removes {@code removed} from the group: the new configuration is committed without it, then its
     * replica (log and snapshots) is deleted on its node; a node that does not answer deletes it when
     * it learns that it is no longer a member.
     */
    public void remove(UUID queue, List<ClusterPeer> current, ClusterPeer removed) throws IOException {
        List<ClusterPeer> next = new ArrayList<>(current);
        next.removeIf(p -> p.name().equals(removed.name()));
        try (RaftClient c = queues.newClient(RaftGroup.valueOf(QuorumQueues.group(queue), QuorumQueues.peers(current)))) {
            check(c.admin().setConfiguration(QuorumQueues.peers(next)), "changing the configuration");
            try {
                RaftClientReply r = c.getGroupManagementApi(RaftPeerId.valueOf(removed.name()))
                        .remove(QuorumQueues.group(queue), true, false);
                if (!r.isSuccess()) {
                    LOG.info("quorum queue {}: deleting the replica on {}: {}", queue, removed.name(),
                            r.getException().getMessage());
                }
            } catch (IOException e) {
                LOG.info("quorum queue {}: {} did not delete its replica now ({}); it will when it learns it left",
                        queue, removed.name(), e.getMessage());
            }
        }
        queues.bind(queue, next);
    }

    /** Asks the group to make {@code node} its leader (spreading leaders over nodes); best effort. */
    public void transferLeadership(UUID queue, List<ClusterPeer> members, String node, long timeoutMillis) {
        try (RaftClient c = queues.newClient(RaftGroup.valueOf(QuorumQueues.group(queue), QuorumQueues.peers(members)))) {
            RaftClientReply r = c.admin().transferLeadership(RaftPeerId.valueOf(node), timeoutMillis);
            if (!r.isSuccess()) {
                LOG.info("quorum queue {}: leadership not moved to {}: {}", queue, node, r.getException().getMessage());
            }
        } catch (IOException e) {
            LOG.info("quorum queue {}: leadership not moved to {}: {}", queue, node, e.getMessage());
        }
    }

    /** Each member's own report: its role, last log index, commit index, snapshot index and term. */
    public List<MemberStatus> status(UUID queue, List<ClusterPeer> members) {
        List<MemberStatus> out = new ArrayList<>();
        List<RaftPeer> peers = QuorumQueues.peers(members);
        try (RaftClient c = queues.newClient(RaftGroup.valueOf(QuorumQueues.group(queue), peers))) {
            for (RaftPeer p : peers) {
                out.add(statusOf(c, queue, p.getId()));
            }
        } catch (IOException e) {
            throw new ClusterUnavailableException("quorum queue " + queue + ": " + e.getMessage());
        }
        return out;
    }

    private static MemberStatus statusOf(RaftClient c, UUID queue, RaftPeerId peer) {
        GroupInfoReply info;
        try {
            info = c.getGroupManagementApi(peer).info(QuorumQueues.group(queue));
        } catch (org.apache.ratis.protocol.exceptions.GroupMismatchException e) {
            return MemberStatus.unavailable(peer.toString(), "noproc");
        } catch (IOException e) {
            return MemberStatus.unavailable(peer.toString(), "nodedown");
        }
        if (!info.isSuccess()) {
            return MemberStatus.unavailable(peer.toString(), "noproc");
        }
        RaftProtos.RoleInfoProto role = info.getRoleInfoProto();
        RaftProtos.LogInfoProto log = info.getLogInfoProto();
        long term = role.hasLeaderInfo() ? role.getLeaderInfo().getTerm() : log.getLastEntry().getTerm();
        return new MemberStatus(peer.toString(), role.getRole().name().toLowerCase(java.util.Locale.ROOT),
                log.getLastEntry().getIndex(), log.getCommitted().getIndex(), log.hasLastSnapshot()
                ? log.getLastSnapshot().getIndex() : -1, term);
    }

    private static void check(RaftClientReply r, String what) throws IOException {
        if (!r.isSuccess()) {
            throw new IOException(what + ": " + (r.getException() == null ? "refused" : r.getException().getMessage()));
        }
    }
}
