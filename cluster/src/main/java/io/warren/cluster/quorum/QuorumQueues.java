package io.warren.cluster.quorum;

import io.warren.cluster.ClusterPeer;
import io.warren.cluster.ClusterUnavailableException;
import io.warren.cluster.RaftHost;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
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
import java.util.concurrent.TimeoutException;

/**
 * This node's quorum queues: one Raft group per queue (multi-Raft) on the node's {@link RaftHost},
 * named by the queue's UUID. Creates and deletes groups on their members, submits commands to
 * whichever member leads (the Ratis client follows leader changes and retries; Ratis' retry cache
 * applies a retried command once), and gives the local replica's counts, bodies and effects.
 */
public final class QuorumQueues implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumQueues.class);

    /** A follower the leader heard from this recently counts as online. */
    private static final long ONLINE_WITHIN_MILLIS = 5000;
    /** A leader handing over its leadership refuses commands; they are sent again after this. */
    private static final long STEPPING_DOWN_RETRY_MILLIS = 20;
    /** A numbered publish with no answer after this long is sent again through a new client (see {@link #sendResending}). */
    /**
     * The largest encoded message a quorum queue takes: a message is one Raft log entry, and entries are
     * capped by the log's write buffer (see {@code RaftSettings}); 64 KiB are left for the command around it.
     */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024 - 64 * 1024;
    private static final long RESEND_AFTER_MILLIS = 5000;
    /** How long the Ratis client waits for one request's answer before it tries another member. */
    private static final long REQUEST_TIMEOUT_SECONDS = 10;

    private final long cursorEvery;
    private final long commitTimeoutMillis;
    private final Map<RaftGroupId, QuorumStateMachine> machines = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, RaftClient> clients = new ConcurrentHashMap<>();
    /** Each queue's members as the broker placed them (clients need them before the local replica runs). */
    private final Map<RaftGroupId, RaftGroup> groups = new ConcurrentHashMap<>();
    // Ratis' async client blocks its caller once too many requests are outstanding (no majority):
    // submissions go through this thread so that an event loop never waits on it
    private final ExecutorService submitter = Executors.newSingleThreadExecutor(r -> daemon(r, "quorum-submit"));
    /** Commands to a group this node leads skip the client (see {@link LocalLeaderSubmit}). */
    private final LocalLeaderSubmit local = new LocalLeaderSubmit();
    private final ExecutorService admin = Executors.newCachedThreadPool(r -> daemon(r, "quorum-admin"));
    private volatile RaftHost host;

    /**
     * @param cursorEvery         log entries between copies of a queue's state for snapshots (see {@link ReleaseCursors})
     * @param commitTimeoutMillis how long a command waits for a majority before it fails
     */
    public QuorumQueues(long cursorEvery, long commitTimeoutMillis) {
        this.cursorEvery = cursorEvery;
        this.commitTimeoutMillis = commitTimeoutMillis;
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
            try (RaftClient c = newClient(group)) {
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
                        .execute(() -> closeQuietly(stale));
            }
        }
        return group;
    }

    /** A deleted queue this node holds no replica of: its client and members are forgotten. */
    public void forget(UUID queue) {
        groups.remove(group(queue));
        RaftClient client = clients.remove(group(queue));
        if (client != null) {
            admin.execute(() -> {
                try {
                    client.close();
                } catch (IOException e) {
                    LOG.debug("closing a quorum queue client: {}", e.toString());
                }
            });
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
        Message message = Message.valueOf(ByteString.copyFrom(QueueCommand.encode(command)));
        // an ack (settle, discard) applied twice does nothing the second time: resent too, else an ack whose client
        // was replaced would be lost and its message stay held by a live consumer, filling its prefetch for good
        boolean resendable = command instanceof QueueCommand.Enqueue e && !e.publisher().isEmpty()
                || command instanceof QueueCommand.EnqueueBatch // numbered publishes and acks only
                || command instanceof QueueCommand.Flush || command instanceof QueueCommand.Settle
                || command instanceof QueueCommand.Discard || command instanceof QueueCommand.Detach;
        CompletableFuture<RaftClientReply> sent = resendable
                ? sendResending(queue, message, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(commitTimeoutMillis))
                : sendOnce(queue, message);
        return sent
                .thenCompose(reply -> {
                    if (!reply.isSuccess()) {
                        throw new CompletionException(reply.getException());
                    }
                    long[] result = QuorumReplies.decode(reply.getMessage().getContent().toByteArray());
                    QuorumStateMachine local = machines.get(group(queue));
                    // a basic.get reads the body from this node's log: wait until this replica has the entry
                    return local == null || !(command instanceof QueueCommand.Dequeue) ? CompletableFuture.completedFuture(result)
                            : local.applied().await(reply.getLogIndex()).thenApply(v -> result);
                })
                .orTimeout(commitTimeoutMillis, TimeUnit.MILLISECONDS)
                .handle((result, failure) -> {
                    if (failure == null) {
                        return result;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof org.apache.ratis.protocol.exceptions.AlreadyClosedException) {
                        // the client was replaced after an earlier failure (logged then) or is closing
                        LOG.debug("quorum queue {}: command not committed: {}", queue, cause.getMessage());
                    } else {
                        LOG.info("quorum queue {}: command not committed: {}", queue, cause instanceof TimeoutException
                                ? "timed out after " + commitTimeoutMillis + " ms" : String.valueOf(cause.getMessage()));
                    }
                    throw new ClusterUnavailableException("no majority of the quorum queue's members committed within "
                            + commitTimeoutMillis + " ms");
                });
    }

    private CompletableFuture<RaftClientReply> sendOnce(UUID queue, Message message) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(commitTimeoutMillis);
        RaftClient client = clientFor(queue);
        return send(client, queue, message, deadline)
                .handle((reply, failure) -> {
                    discardIfFailed(queue, client, failure);
                    if (failure != null && NotAppended.byFormerMember(failure) && System.nanoTime() < deadline) {
                        // the client asked a node that has left the group (it knew the old members): that
                        // node did not take the command, so it goes again through a client made for the
                        // members as they are now
                        RaftClient fresh = clientFor(queue);
                        return send(fresh, queue, message, deadline)
                                .whenComplete((r, f) -> discardIfFailed(queue, fresh, f));
                    }
                    return failure == null ? CompletableFuture.completedFuture(reply)
                            : CompletableFuture.<RaftClientReply>failedFuture(failure);
                })
                .thenCompose(f -> f);
    }


    /**
     * Sends a command that may be applied twice without harm (a numbered publish: the queue drops a
     * second copy, see {@link PublisherOrder}; a flush; an ack). Ratis' ordered client can stall after a
     * leader change, its requests retried until the commit timeout and every publish in flight
     * nacked (seen under load: requests held at the new leader behind ones lost with the old); as
     * RabbitMQ's quorum queue client resends its pending commands to a new leader, a command that
     * has no answer after {@link #RESEND_AFTER_MILLIS} is sent again through a new client, until an
     * answer comes or the deadline passes. The first answer wins.
     */
    private CompletableFuture<RaftClientReply> sendResending(UUID queue, Message message, long deadline) {
        CompletableFuture<RaftClientReply> answer = new CompletableFuture<>();
        attempt(queue, message, deadline, answer);
        return answer;
    }

    private void attempt(UUID queue, Message message, long deadline, CompletableFuture<RaftClientReply> answer) {
        RaftClient client = clientFor(queue);
        send(client, queue, message, deadline)
                .whenComplete((reply, failure) -> {
                    if (failure == null) {
                        answer.complete(reply);
                    } else {
                        discardIfFailed(queue, client, failure); // the resend below uses a new client
                    }
                });
        CompletableFuture.delayedExecutor(RESEND_AFTER_MILLIS, TimeUnit.MILLISECONDS, admin).execute(() -> {
            if (answer.isDone() || admin.isShutdown()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                answer.completeExceptionally(new TimeoutException("no answer"));
                return;
            }
            if (clients.remove(group(queue), client)) {
                LOG.debug("quorum queue {}: no answer within {} ms, sending again through a new client", queue,
                        RESEND_AFTER_MILLIS);
                admin.execute(() -> closeQuietly(client));
            }
            attempt(queue, message, deadline, answer);
        });
    }

    /**
     * Sends once, and again while the leader refuses it because it is handing over its leadership
     * (a leadership transfer, see QuorumMembership): such a command was refused before it was
     * appended, so sending it again cannot apply it twice. Ratis' client does not retry that refusal.
     */
    private CompletableFuture<RaftClientReply> send(RaftClient client, UUID queue, Message message, long deadlineNanos) {
        return CompletableFuture.supplyAsync(() -> sendNow(client, queue, message), submitter)
                .thenCompose(f -> f)
                .handle((reply, failure) -> {
                    Throwable refusal = failure != null ? failure : reply.isSuccess() ? null : reply.getException();
                    if (refusal instanceof CompletionException && refusal.getCause() != null) {
                        refusal = refusal.getCause();
                    }
                    if (refusal instanceof LeaderSteppingDownException && System.nanoTime() < deadlineNanos) {
                        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                                STEPPING_DOWN_RETRY_MILLIS, TimeUnit.MILLISECONDS))
                                .thenCompose(v -> send(client, queue, message, deadlineNanos));
                    }
                    return failure != null ? CompletableFuture.<RaftClientReply>failedFuture(failure)
                            : CompletableFuture.completedFuture(reply);
                })
                .thenCompose(f -> f);
    }

    /**
     * On the submit thread: straight to this node's member when it leads the group ({@link LocalLeaderSubmit}),
     * else (or when it turns out no longer to lead: refused before appending) through the client.
     */
    private CompletableFuture<RaftClientReply> sendNow(RaftClient client, UUID queue, Message message) {
        RaftHost h = host;
        CompletableFuture<RaftClientReply> direct = h == null ? null : local.submitIfLeader(h.server(), group(queue), message);
        if (direct == null) {
            return client.async().send(message);
        }
        return direct.thenComposeAsync(reply -> NotAppended.byFormerLeader(reply) ? client.async().send(message)
                : CompletableFuture.completedFuture(reply), submitter);
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing a quorum queue client: {}", e.toString());
        }
    }

    /**
     * The queue's counts as its leader has them (a read-only query, no log entry): for a node with
     * no replica. Completes with {ready, ready bytes, unacked, consumers}, or fails after the commit
     * timeout. Never blocks the caller.
     */
    public CompletableFuture<long[]> leaderCounts(UUID queue) {
        if (host == null) { // the node's Raft server is still starting (replaying the definitions' log)
            return CompletableFuture.failedFuture(new ClusterUnavailableException("the node's Raft server is starting"));
        }
        RaftClient client = clientFor(queue);
        return CompletableFuture.supplyAsync(() -> client.async().sendReadOnly(Message.EMPTY), submitter)
                .thenCompose(f -> f.whenComplete((r, failure) -> discardIfFailed(queue, client, failure)))
                .thenApply(reply -> {
                    if (!reply.isSuccess()) {
                        throw new CompletionException(reply.getException());
                    }
                    return QuorumReplies.decode(reply.getMessage().getContent().toByteArray());
                })
                .orTimeout(commitTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Completes once the queue's group answers with its limits set (a read-only query, harmless to
     * repeat), or after {@code maxMillis} in any case: a node that did not create the group sends its
     * first commands once the group exists (rather than have them fail) and has the first member's
     * Configure (else a publish could go to a waiting single active consumer under default limits).
     */
    public CompletableFuture<Void> awaitGroup(UUID queue, long maxMillis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        askUntilAnswered(queue, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis), done);
        return done;
    }

    private void askUntilAnswered(UUID queue, long deadline, CompletableFuture<Void> done) {
        leaderCounts(queue).whenComplete((r, failure) -> {
            boolean configured = failure == null && (r.length < 5 || r[4] != 0); // 4: an older node
            if (configured || System.nanoTime() > deadline || admin.isShutdown()) {
                done.complete(null);
            } else {
                CompletableFuture.delayedExecutor(250, TimeUnit.MILLISECONDS, admin)
                        .execute(() -> askUntilAnswered(queue, deadline, done));
            }
        });
    }

    /**
     * Ratis' ordered async client fails every later request once one request failed for good (its
     * sliding window closes: "SlidingWindow$Client ... is closed"): a single failure, e.g. a
     * command sent before the group existed or one whose retries ran out during an election on a
     * busy machine, would then refuse every later command of this node. A client whose request
     * failed is therefore replaced; the next command makes a new one. (The failed command is not
     * sent again: it may have been applied, and a new client is not in the group's retry cache.)
     */
    private void discardIfFailed(UUID queue, RaftClient client, Throwable failure) {
        if (failure != null && clients.remove(group(queue), client)) {
            // debug: the failed command itself is logged by its caller
            LOG.debug("quorum queue {}: replacing its Raft client after: {}", queue, failure.toString());
            admin.execute(() -> {
                try {
                    client.close();
                } catch (IOException e) {
                    LOG.debug("closing a quorum queue client: {}", e.toString());
                }
            });
        }
    }

    /**
     * The member this node last found leading the queue's group (its client follows leader changes),
     * or null if this node has not talked to the group yet.
     */
    public String knownLeader(UUID queue) {
        RaftClient client = clients.get(group(queue));
        RaftPeerId leader = client == null ? null : client.getLeaderId();
        return leader == null ? null : leader.toString();
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

    private RaftClient clientFor(UUID queue) {
        return clients.computeIfAbsent(group(queue), g -> newClient(groupOf(queue)));
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

    RaftClient newClient(RaftGroup group) {
        RaftProperties props = new RaftProperties(host.properties());
        // generous: Ratis' client takes a request that times out at a live leader for a dead leader, picks
        // another member and closes its connection, failing every request in flight with it (up to 100
        // publishes). On a busy machine a commit can take seconds; with 2 s each timeout set off a storm
        // of retries that outlasted the commit timeout, and every publish in flight was nacked. A dead
        // leader is found out at once anyway (its port refuses the connection).
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(group)
                .setProperties(props)
                .setParameters(host.parameters()) // the Raft port's TLS: a client without it is refused
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        (int) Math.max(1, commitTimeoutMillis / 250), TimeDuration.valueOf(250, TimeUnit.MILLISECONDS)))
                .build();
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
        submitter.shutdownNow();
        admin.shutdownNow();
        clients.values().forEach(c -> {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing a quorum queue client: {}", e.toString());
            }
        });
        clients.clear();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
