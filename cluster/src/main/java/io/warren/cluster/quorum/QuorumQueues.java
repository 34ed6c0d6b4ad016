package io.warren.cluster.quorum;

import io.warren.cluster.ClusterPeer;
import io.warren.cluster.ClusterUnavailableException;
import io.warren.cluster.RaftHost;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * This node's quorum queues: one Raft group per queue (multi-Raft) on the node's {@link RaftHost},
 * named by the queue's UUID. Creates and deletes groups on their members, submits commands to
 * whichever member leads (through {@link GroupClients}), and gives the local replica's counts,
 * bodies and effects.
 */
public final class QuorumQueues implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumQueues.class);

    /** A follower the leader heard from this recently counts as online. */
    private static final long ONLINE_WITHIN_MILLIS = 5000;
    /**
     * The largest encoded message a quorum queue takes: a message is one Raft log entry, and entries are
     * capped by the log's write buffer (see {@code RaftSettings}); 64 KiB are left for the command around it.
     */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024 - 64 * 1024;

    private final long cursorEvery;
    private final long commitTimeoutMillis;
    private final Map<RaftGroupId, QuorumStateMachine> machines = new ConcurrentHashMap<>();
    /** Each queue's members as the broker placed them (clients need them before the local replica runs). */
    private final Map<RaftGroupId, RaftGroup> groups = new ConcurrentHashMap<>();
    private final ExecutorService admin = Executors.newCachedThreadPool(r -> daemon(r, "quorum-admin"));
    private volatile RaftHost host;
    /** How commands reach the groups (see {@link GroupClients}). */
    private final GroupClients clients;

    /**
     * @param cursorEvery         log entries between copies of a queue's state for snapshots (see {@link ReleaseCursors})
     * @param commitTimeoutMillis how long a command waits for a majority before it fails
     */
    public QuorumQueues(long cursorEvery, long commitTimeoutMillis) {
        this.cursorEvery = cursorEvery;
        this.commitTimeoutMillis = commitTimeoutMillis;
        this.clients = new GroupClients(commitTimeoutMillis, () -> host, this::groupOf, q -> machines.get(group(q)), admin);
    }

    /** For {@link RaftHost}: the state machine of a quorum queue group found on disk or added by a peer. */
    public StateMachine machineFor(RaftGroupId id) {
        // a group removed from this node (delete_member) and added again (add_member) starts afresh
        return machines.compute(id, (k, m) -> m == null || m.isClosed() ? new QuorumStateMachine(cursorEvery) : m);
    }

    /** Whether this node's replica of the queue (if any) was made before {@code nanoTime}. */
    public boolean replicaOlderThan(UUID queue, long nanoTime) {
        QuorumStateMachine m = machines.get(group(queue));
        return m != null && m.createdNanos() - nanoTime < 0;
    }

    /** Binds to the node's Raft server (once it runs: the server needs {@link #machineFor} to start). */
    public void attach(RaftHost host) {
        this.host = host;
    }

    public static RaftGroupId group(UUID queue) {
        return RaftGroupId.valueOf(queue);
    }

    /** The queues with a replica on this node (recovered from disk at start, or added since). */
    public List<UUID> local() {
        List<UUID> out = new ArrayList<>();
        machines.keySet().forEach(g -> out.add(g.getUuid()));
        return out;
    }

    /**
     * Creates the queue's group on every member and sets its limits. Completes when the limits are
     * committed, i.e. the group elected a leader and a majority stored its first entry.
     */
    public CompletableFuture<Void> create(UUID queue, List<ClusterPeer> members, QueueLimits limits) {
        RaftGroup group = bind(queue, members);
        return CompletableFuture.runAsync(() -> {
            try (RaftClient c = clients.newClient(group)) {
                for (RaftPeer p : group.getPeers()) {
                    addTo(c, p, group);
                }
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, admin).thenCompose(v -> submit(queue, new QueueCommand.Configure(limits))).thenApply(r -> null);
    }

    /**
     * Adds the group on one member. The client retries a request that timed out (a busy machine), so
     * the member may already have it from the first attempt: that is success too.
     */
    private static void addTo(RaftClient c, RaftPeer p, RaftGroup group) throws IOException {
        RaftClientReply r;
        try {
            r = c.getGroupManagementApi(p.getId()).add(group);
        } catch (org.apache.ratis.protocol.exceptions.AlreadyExistsException e) {
            return;
        }
        if (!r.isSuccess()) {
            throw new CompletionException(r.getException());
        }
    }

    /**
     * Records the queue's members, so that commands can be submitted before (or without) a local
     * replica. When they changed, the client made for the old members is dropped: the next command
     * gets one that knows the new members.
     */
    public RaftGroup bind(UUID queue, List<ClusterPeer> members) {
        RaftGroup group = RaftGroup.valueOf(group(queue), peers(members));
        RaftGroup before = groups.put(group.getGroupId(), group);
        if (before != null && !before.getPeers().equals(group.getPeers())) {
            RaftClient stale = clients.remove(group.getGroupId());
            if (stale != null) {
                // closed once its outstanding requests had their time to complete
                CompletableFuture.delayedExecutor(commitTimeoutMillis, TimeUnit.MILLISECONDS, admin)
                        .execute(() -> GroupClients.closeQuietly(stale));
            }
        }
        return group;
    }

    /** A deleted queue this node holds no replica of: its client and members are forgotten. */
    public void forget(UUID queue) {
        groups.remove(group(queue));
        RaftClient client = clients.remove(group(queue));
        if (client != null) {
            admin.execute(() -> GroupClients.closeQuietly(client));
        }
    }

    /**
     * Removes this node's replica of the queue (its log and snapshots). Each member removes its own
     * when the queue's deletion reaches it; a member that was down removes it when it learns of it.
     */
    public CompletableFuture<Void> removeLocal(UUID queue) {
        return removeReplica(queue, true);
    }

    /**
     * Removes this node's replica of a queue it is no longer a member of (delete_member): the queue
     * lives on, and this node goes on submitting to its group as a client.
     */
    public CompletableFuture<Void> leave(UUID queue) {
        return removeReplica(queue, false);
    }

    private CompletableFuture<Void> removeReplica(UUID queue, boolean deleted) {
        RaftGroupId id = group(queue);
        if (host == null) {
            machines.remove(id);
            if (deleted) {
                groups.remove(id);
            }
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {
            RaftClient client = deleted ? clients.remove(id) : null;
            try {
                if (client != null) {
                    client.close();
                }
                RaftClientReply r = host.server().groupManagement(org.apache.ratis.protocol.GroupManagementRequest
                        .newRemove(ClientId.randomId(), RaftPeerId.valueOf(host.nodeName()), 0, id, true, false));
                if (!r.isSuccess()) {
                    LOG.info("quorum queue {}: removing the local replica: {}", queue, r.getException().getMessage());
                }
            } catch (IOException e) {
                throw new CompletionException(e);
            } finally {
                machines.remove(id);
                if (deleted) {
                    groups.remove(id);
                }
            }
        }, admin);
    }














    /**
     * Replicates {@code command}: completes with its reply once a majority stored it (synced to
     * disk) and the leader applied it, or fails with {@link ClusterUnavailableException} when that
     * did not happen within the commit timeout. Never blocks the caller.
     */
    public CompletableFuture<long[]> submit(UUID queue, QueueCommand command) {
        return clients.submit(queue, command);
    }

    /**
     * The queue's counts as its leader has them (a read-only query, nothing is appended): {ready,
     * ready bytes, unacked, consumers, limits set (1) or not (0)}. Fails when no leader answers within
     * the commit timeout. Never blocks the caller.
     */
    public CompletableFuture<long[]> leaderCounts(UUID queue) {
        return clients.leaderCounts(queue);
    }

    /**
     * Completes once the queue's group answers with its limits set, or after {@code maxMillis} in any
     * case (see {@link GroupClients#awaitGroup}).
     */
    public CompletableFuture<Void> awaitGroup(UUID queue, long maxMillis) {
        return clients.awaitGroup(queue, maxMillis);
    }

    /**
     * The member this node last found leading the queue's group (its client follows leader changes),
     * or null if this node has not talked to the group yet.
     */
    public String knownLeader(UUID queue) {
        return clients.knownLeader(queue);
    }

    /** The content of message {@code id}, read from this node's copy of the queue's log. */
    public byte[] body(UUID queue, long id) throws IOException {
        return local(queue).body(id);
    }

    /** Effects of every command this node applies for {@code queue} go to {@code listener}. */
    public void listen(UUID queue, QuorumListener listener) {
        ((QuorumStateMachine) machineFor(group(queue))).listener(listener);
    }

    /** This node's replica's timers and single active consumer ({@link ReplicaTimers#NONE} without a replica). */
    public ReplicaTimers timers(UUID queue) {
        QuorumStateMachine m = machines.get(group(queue));
        if (m == null) {
            return ReplicaTimers.NONE;
        }
        QuorumStateMachine.Stats s = m.stats();
        return new ReplicaTimers(m.isLeader(), s.nextExpiry(), s.expiresAt(), s.singleActiveConsumer());
    }

    /** The queue as this node's replica sees it, with the group's leader and members. */
    public QuorumStatus status(UUID queue) {
        QuorumStateMachine m = machines.get(group(queue));
        QuorumStateMachine.Stats s = m == null ? QuorumStateMachine.Stats.EMPTY : m.stats();
        String leader = null;
        List<String> members = new ArrayList<>();
        List<String> online = new ArrayList<>();
        if (host == null) { // the node's Raft server is still starting (replaying the definitions' log)
            return new QuorumStatus(s.ready(), s.readyBytes(), s.unacked(), s.consumers(), null, members, online);
        }
        try {
            RaftServer.Division d = host.server().getDivision(group(queue));
            RaftPeerId l = d.getInfo().getLeaderId();
            leader = l == null ? null : l.toString();
            d.getRaftConf().getCurrentPeers().forEach(p -> members.add(p.getId().toString()));
            online.addAll(GroupRoles.online(d, leader, ONLINE_WITHIN_MILLIS));
        } catch (IOException e) {
            LOG.debug("quorum queue {} is not running here: {}", queue, e.getMessage());
        }
        return new QuorumStatus(s.ready(), s.readyBytes(), s.unacked(), s.consumers(), leader, members, online);
    }

    /**
     * When this node leads the queue's group: the followers it has not heard from for longer than
     * {@code silentMillis} (empty on a follower, which cannot tell).
     */
    public List<String> silentFollowers(UUID queue, long silentMillis) {
        if (host == null) {
            return List.of();
        }
        try {
            return GroupRoles.silentFollowers(host.server().getDivision(group(queue)), silentMillis);
        } catch (IOException e) {
            LOG.debug("quorum queue {} is not running here: {}", queue, e.getMessage());
            return List.of();
        }
    }

    /** Whether the queue's group runs on this node's Raft server (recovered from disk, or added by a member). */
    public boolean hasReplica(UUID queue) {
        if (host == null) {
            return false;
        }
        try {
            host.server().getDivision(group(queue));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The log's first index on this member (it grows as snapshots let Ratis purge the log). */
    long logStart(UUID queue) throws IOException {
        return host.server().getDivision(group(queue)).getRaftLog().getStartIndex();
    }

    QuorumStateMachine local(UUID queue) {
        QuorumStateMachine m = machines.get(group(queue));
        if (m == null) {
            throw new IllegalStateException("quorum queue " + queue + " has no replica on this node");
        }
        return m;
    }


    private RaftGroup groupOf(UUID queue) {
        RaftGroup known = groups.get(group(queue));
        if (known != null) {
            return known;
        }
        try {
            return host.server().getDivision(group(queue)).getGroup();
        } catch (IOException e) {
            throw new ClusterUnavailableException("quorum queue " + queue + " has no replica on this node");
        }
    }


    /** A new Raft client of the group, for admin requests (membership changes), closed by the caller. */
    RaftClient newClient(RaftGroup group) {
        return clients.newClient(group);
    }

    static List<RaftPeer> peers(List<ClusterPeer> members) {
        List<RaftPeer> out = new ArrayList<>();
        for (ClusterPeer p : members) {
            out.add(RaftPeer.newBuilder().setId(p.name()).setAddress(p.address()).build());
        }
        return out;
    }

    @Override
    public void close() {
        clients.close();
        admin.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
