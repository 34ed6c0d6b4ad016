package io.warren.cluster;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import io.warren.cluster.tls.RaftTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This node's membership of the cluster's metadata Raft group (Apache Ratis): a Raft server that
 * takes its share of the log under {@code storageDir}, and a client that submits this node's
 * changes to whoever leads. Only a clustered broker creates one; a standalone broker has no Ratis
 * threads or files at all.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** One metadata group per cluster; its id is fixed so that every node finds the same group. */
    public static final RaftGroupId GROUP = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
            "warren-metadata".getBytes(StandardCharsets.UTF_8)));

    private final String nodeName;
    private final ClusterPeers peers;
    private final RaftHost host;
    private final RaftServer server;
    private final RaftClient client;
    private final ReplicatedStateMachine stateMachine;
    private final long commitTimeoutMillis;
    private final RaftProperties probeProperties;
    private final Parameters parameters; // the cluster's TLS: every client needs it
    // Ratis' async client blocks its caller once too many requests are outstanding (no majority):
    // submissions go through this thread so that an event loop never waits on it
    private final ExecutorService submitter = Executors.newSingleThreadExecutor(r -> daemon(r, "cluster-submit"));
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> daemon(r, "cluster-probe"));

    private ClusterNode(String nodeName, ClusterPeers peers, RaftHost host, RaftClient client,
                        ReplicatedStateMachine stateMachine, long commitTimeoutMillis, RaftProperties probeProperties) {
        this.nodeName = nodeName;
        this.peers = peers;
        this.host = host;
        this.server = host.server();
        this.client = client;
        this.stateMachine = stateMachine;
        this.commitTimeoutMillis = commitTimeoutMillis;
        this.probeProperties = probeProperties;
        this.parameters = host.parameters();
    }

    /**
     * Starts this node's Raft server on its own entry's address and joins the group of all
     * {@code peers}. A restarted node recovers its log and newest snapshot from {@code storageDir}
     * and catches up from the leader: from its log, or from its snapshot once the log before the
     * snapshot was purged (only whole closed segments of {@code segmentBytes} are). The Raft port takes
     * only peers and clients that know {@code secret} (mutual TLS, see {@link RaftTls}).
     */
    public static ClusterNode start(String nodeName, ClusterPeers peers, String secret, Path storageDir,
                                    ReplicatedState state, long commitTimeoutMillis, long snapshotEvery,
                                    long segmentBytes) throws IOException {
        return start(nodeName, peers, secret, storageDir, state, commitTimeoutMillis, snapshotEvery, segmentBytes, id -> {
            throw new IllegalStateException("no state machine for Raft group " + id);
        });
    }

    /**
     * As {@link #start(String, ClusterPeers, String, Path, ReplicatedState, long, long, long)}, on a server
     * that also hosts other groups (quorum queues): {@code otherGroups} gives their state machines.
     */
    public static ClusterNode start(String nodeName, ClusterPeers peers, String secret, Path storageDir,
                                    ReplicatedState state, long commitTimeoutMillis, long snapshotEvery,
                                    long segmentBytes, Function<RaftGroupId, StateMachine> otherGroups) throws IOException {
        ClusterPeer self = peers.self(nodeName);
        List<RaftPeer> raftPeers = new ArrayList<>();
        for (ClusterPeer p : peers.members()) {
            raftPeers.add(RaftPeer.newBuilder().setId(p.name()).setAddress(p.address()).build());
        }
        RaftGroup group = RaftGroup.valueOf(GROUP, raftPeers);
        ReplicatedStateMachine sm = new ReplicatedStateMachine(state);
        RaftHost host = RaftHost.start(self, storageDir, snapshotEvery, segmentBytes,
                RaftTls.fromSecret(secret).parameters(), group, Map.of(GROUP, sm), otherGroups);
        RaftServer server = host.server();
        RaftProperties props = host.properties();

        RaftProperties clientProps = new RaftProperties(props);
        // longer than the commit timeout, as for the quorum queues' clients (QuorumQueues): Ratis' client takes a
        // request that times out at a live but busy leader for a dead leader, tries another member and closes its
        // connection, failing the requests in flight; with 2 s, a leader slowed for a moment (three JVMs compiling
        // on two cores) set off retries that outlasted the commit timeout, and a declare on a healthy cluster was
        // refused with 541 (seen twice in ~20,000 changes in the declare benchmark). A dead leader is found out at
        // once anyway: its port refuses the connection.
        RaftClientConfigKeys.Rpc.setRequestTimeout(clientProps, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        RaftClient client = RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(group)
                .setProperties(clientProps)
                .setParameters(host.parameters())
                .setRetryPolicy(CommitRetryPolicy.within(commitTimeoutMillis))
                .build();
        RaftProperties probeProps = new RaftProperties(props);
        RaftClientConfigKeys.Rpc.setRequestTimeout(probeProps, TimeDuration.valueOf(1, TimeUnit.SECONDS));
        LOG.info("cluster node {} listening for cluster traffic on {}; members {}", nodeName, self.address(),
                peers.members());
        return new ClusterNode(nodeName, peers, host, client, sm, commitTimeoutMillis, probeProps);
    }

    /** The node's Ratis server, which quorum queues' groups share with the metadata group. */
    public RaftHost host() {
        return host;
    }

    public String nodeName() {
        return nodeName;
    }

    /**
     * Replicates {@code command}. The future completes with the command's result once a majority
     * committed it and this node applied it (so this node's state already shows it), or fails with
     * {@link ClusterUnavailableException} when that did not happen within the commit timeout.
     * Never blocks the caller.
     */
    public CompletableFuture<byte[]> submit(byte[] command) {
        Message message = Message.valueOf(ByteString.copyFrom(command));
        return CompletableFuture.supplyAsync(() -> client.async().send(message), submitter)
                .thenCompose(f -> f)
                .thenCompose(this::appliedHere)
                .orTimeout(commitTimeoutMillis, TimeUnit.MILLISECONDS)
                .handle((result, failure) -> {
                    if (failure == null) {
                        return result;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    LOG.info("cluster change not committed: {}", cause instanceof TimeoutException
                            ? "timed out after " + commitTimeoutMillis + " ms" : String.valueOf(cause.getMessage()));
                    // short: it becomes an AMQP reply text (at most 255 bytes)
                    throw new ClusterUnavailableException("no majority of the cluster's " + peers.members().size()
                            + " nodes committed the change within " + commitTimeoutMillis + " ms");
                });
    }

    /** The highest log index this node has applied. */
    public long appliedIndex() {
        return stateMachine.applied().get();
    }

    /** Completes once this node applied the log up to {@code index} (at once if it has). */
    public CompletableFuture<Void> awaitApplied(long index) {
        return stateMachine.applied().await(index);
    }

    /** A command that changes nothing (see {@link #awaitCaughtUp}). */
    public static final byte[] NO_OP = ReplicatedStateMachine.NO_OP;

    /**
     * Blocks until a majority committed an empty entry from this node and this node applied it, so
     * that everything committed before it (the log written while this node was away) is applied here
     * too; or until {@code maxWaitMillis} passed. For the broker's start: a node answers clients
     * once it knows the cluster's current definitions, as a RabbitMQ node waits for its metadata
     * store's peers at boot. Returns whether it caught up.
     */
    public boolean awaitCaughtUp(long maxWaitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        boolean told = false;
        while (true) {
            try {
                submit(NO_OP).get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(
                        deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
                return true;
            } catch (java.util.concurrent.ExecutionException | TimeoutException notYet) {
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                if (!told) {
                    LOG.info("cluster node {} waiting for a majority of {} to catch up with the cluster's log",
                            nodeName, peers.members().size());
                    told = true;
                }
                Thread.sleep(250);
            }
        }
    }

    private CompletableFuture<byte[]> appliedHere(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
        }
        byte[] result = reply.getMessage().getContent().toByteArray();
        return stateMachine.applied().await(reply.getLogIndex()).thenApply(v -> result);
    }

    /** Every member of the current configuration, each probed for whether it answers (may take a second). */
    public List<Member> members() {
        RaftServer.Division division;
        try {
            division = server.getDivision(GROUP);
        } catch (IOException e) {
            throw new ClusterUnavailableException("the cluster group is not running: " + e.getMessage());
        }
        RaftPeerId leader = division.getInfo().getLeaderId();
        List<CompletableFuture<Member>> out = new ArrayList<>();
        for (RaftPeer p : division.getRaftConf().getCurrentPeers()) {
            String name = p.getId().toString();
            boolean leads = p.getId().equals(leader);
            out.add(CompletableFuture.supplyAsync(() -> new Member(name, p.getAddress(),
                    name.equals(nodeName) || answers(p), leads), probes));
        }
        List<Member> members = new ArrayList<>();
        out.forEach(f -> members.add(f.join()));
        members.sort(java.util.Comparator.comparing(Member::name));
        return members;
    }

    private boolean answers(RaftPeer peer) {
        try (RaftClient probe = RaftClient.newBuilder().setRaftGroup(RaftGroup.valueOf(GROUP, peer))
                .setProperties(probeProperties).setParameters(parameters).setRetryPolicy(RetryPolicies.noRetry()).build()) {
            probe.getGroupManagementApi(peer.getId()).info(GROUP);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Removes a member from the group for good (rabbitmqctl's forget_cluster_node): the others stop
     * counting it towards a majority. Blocking; call off the event loops.
     */
    public void forget(String name) throws IOException {
        RaftServer.Division division = server.getDivision(GROUP);
        List<RaftPeer> remaining = new ArrayList<>();
        boolean found = false;
        for (RaftPeer p : division.getRaftConf().getCurrentPeers()) {
            if (p.getId().toString().equals(name)) {
                found = true;
            } else {
                remaining.add(p);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("node '" + name + "' is not a member of the cluster");
        }
        if (name.equals(nodeName)) {
            throw new IllegalArgumentException("node '" + name + "' is this node; run forget_cluster_node on another member");
        }
        RaftClientReply reply = client.admin().setConfiguration(remaining);
        if (!reply.isSuccess()) {
            throw new IOException("removing '" + name + "' failed: " + reply.getException());
        }
        LOG.info("node {} removed from the cluster", name);
    }

    @Override
    public void close() {
        submitter.shutdownNow();
        probes.shutdownNow();
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the cluster client: {}", e.toString());
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the cluster server: {}", e.toString());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
