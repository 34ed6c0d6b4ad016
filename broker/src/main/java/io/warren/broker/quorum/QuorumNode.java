package io.warren.broker.quorum;

import io.warren.cluster.ClusterPeer;
import io.warren.cluster.ClusterPeers;
import io.warren.cluster.RaftHost;
import io.warren.cluster.quorum.QuorumQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * This node's side of quorum queues: the {@link QuorumQueues} (a Raft group per queue) and the Ratis
 * server they run on. In a cluster that is the server of the metadata group (one port for all Raft
 * traffic). A standalone node has no Ratis server until the first quorum queue: it then starts one
 * on the loopback interface for single-member groups, on a port chosen once and kept in
 * {@code <data>/quorum/raft-port} (a group's members are recorded with their address), so a
 * standalone node without quorum queues runs no Raft code at all.
 */
public final class QuorumNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumNode.class);
    /**
     * How long a quorum queue command waits for a majority: publishers wait through leader
     * elections and a busy machine's pauses, and get a basic.nack only after this.
     */
    public static final long COMMIT_TIMEOUT_MILLIS = 30_000;
    /** Log entries between copies of a queue's state for snapshots (see ReleaseCursors). */
    private static final long CURSOR_EVERY = 4096;
    private static final long STANDALONE_SNAPSHOT_EVERY = 4096;
    private static final long STANDALONE_SEGMENT_BYTES = 8 * 1024 * 1024;

    private final String nodeName;
    private final ClusterPeers peers; // null: standalone
    private final Path standaloneDir;
    private final QuorumQueues queues = new QuorumQueues(CURSOR_EVERY, COMMIT_TIMEOUT_MILLIS);
    private final QuorumPlacement placement = new QuorumPlacement();
    private final io.warren.cluster.quorum.QuorumMembership membership = new io.warren.cluster.quorum.QuorumMembership(queues);
    private volatile java.util.function.BooleanSupplier inLogApply = () -> false;
    /** While the cluster's log applies a queue.declare: the node it came from (else null). */
    private volatile java.util.function.Supplier<String> declaringNode = () -> null;
    /** How long after leaving a group its local replica is deleted (see {@link #leaveLater}). */
    private static final long LEAVE_AFTER_MILLIS = 3000;
    private static final long TRANSFER_LEADERSHIP_MILLIS = 5000;
    private RaftHost ownHost; // standalone only
    private volatile boolean attached;
    private volatile DeadMemberWatch watch;
    private volatile QuorumRelay.Factory relays; // a cluster member's, once its node-to-node links exist
    private final java.util.concurrent.CompletableFuture<Void> running = new java.util.concurrent.CompletableFuture<>();
    // consumers' bodies are read from the Raft log here, in queue order, never on a Raft or event loop thread
    private final java.util.concurrent.ExecutorService deliveries = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quorum-deliver");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ExecutorService starter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quorum-start");
        t.setDaemon(true);
        return t;
    });
    /** How often the leader's node looks whether a quorum queue is due a Tick (TTL, x-expires). */
    private static final long TICK_MILLIS = 100;
    private final java.util.Set<Runnable> tickers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private java.util.concurrent.ScheduledExecutorService timer; // started with the first quorum queue

    /** Consumers of this run of the node are named {@code node/incarnation/n}: a restart never reuses a name. */
    private final String incarnation = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    private final java.util.concurrent.atomic.AtomicLong consumerIds = new java.util.concurrent.atomic.AtomicLong();

    private QuorumNode(String nodeName, ClusterPeers peers, Path standaloneDir) {
        this.nodeName = nodeName;
        this.peers = peers;
        this.standaloneDir = standaloneDir;
    }

    /** A cluster member: {@link #attach} it to the cluster's Raft server once that runs. */
    public static QuorumNode clustered(String nodeName, ClusterPeers peers) {
        return new QuorumNode(nodeName, peers, null);
    }

    /**
     * A standalone node keeping its quorum queues under {@code dataDir/quorum}; if it had some, their
     * Raft server starts now so that they are recovered.
     */
    public static QuorumNode standalone(String nodeName, Path dataDir) throws IOException {
        QuorumNode n = new QuorumNode(nodeName, null, dataDir.resolve("quorum"));
        if (Files.exists(n.standaloneDir.resolve("raft-port"))) {
            n.ensureRunning();
        }
        return n;
    }

    public QuorumQueues queues() {
        return queues;
    }

    public String nodeName() {
        return nodeName;
    }

    /** The cluster's Raft server now runs (it needed {@link QuorumQueues#machineFor} to start). */
    public void attach(RaftHost host) {
        queues.attach(host);
        attached = true;
        watch = new DeadMemberWatch(queues); // only a cluster has members that can die
        running.complete(null);
    }

    /**
     * Completes once quorum queues can run here: at once in a cluster whose Raft server started;
     * a standalone node starts its server first (off the caller's thread).
     */
    public java.util.concurrent.CompletableFuture<Void> whenRunning() {
        if (!attached && peers == null) {
            starter.execute(() -> {
                try {
                    ensureRunning();
                } catch (IOException | RuntimeException e) {
                    LOG.error("the quorum queues' Raft server did not start: {}", e.toString());
                    running.completeExceptionally(e);
                }
            });
        }
        return running;
    }

    /**
     * Runs {@code check} every {@link #TICK_MILLIS} on the node's quorum timer thread (one for all
     * quorum queues) until the returned cancel is run. {@code check} must not block.
     */
    public synchronized Runnable everyTick(Runnable check) {
        if (timer == null) {
            timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "quorum-timer");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::tickAll, TICK_MILLIS, TICK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        tickers.add(check);
        return () -> tickers.remove(check);
    }

    private void tickAll() {
        for (Runnable r : tickers) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("quorum queue timer: {}", e.toString()); // one queue's failure must not stop the others
            }
        }
    }

    /** How queues this node holds no member of serve consumers and basic.get (through a member). */
    public void relays(QuorumRelay.Factory relays) {
        this.relays = relays;
    }

    /** The relay of a quorum queue this node holds no member of (see {@link QuorumRelay}). */
    public QuorumRelay relay(io.warren.broker.model.AmqpQueue queue, java.util.function.Supplier<List<String>> members,
                             java.util.function.Supplier<String> leader) {
        QuorumRelay.Factory f = relays;
        if (f == null) {
            throw new IllegalStateException("quorum queue " + queue + " has no member on node " + nodeName
                    + " and this node has no cluster links");
        }
        return f.create(queue, members, leader);
    }

    /** Where consumers' deliveries are prepared (one thread: queue order is kept). */
    public java.util.concurrent.Executor deliveries() {
        return deliveries;
    }

    /** A new consumer name for this node: {@code node/incarnation/n} (NodeDown(node) matches every one). */
    public String newConsumerKey(String tag) {
        return nodeName + "/" + incarnation + "/" + consumerIds.incrementAndGet() + "/" + tag;
    }

    /** Whether {@code key} names a consumer of this run of this node (see {@link #newConsumerKey}). */
    public boolean ownsConsumerKey(String key) {
        return key.startsWith(nodeName + "/" + incarnation + "/");
    }

    /** Whether this node is a member of the group of a queue with these members. */
    public boolean isMember(List<ClusterPeer> members) {
        return members.stream().anyMatch(p -> p.name().equals(nodeName));
    }

    /** Starts the standalone Raft server if it does not run yet (blocking: call off the event loops). */
    public synchronized void ensureRunning() throws IOException {
        if (attached) {
            return;
        }
        int port = standalonePort();
        ClusterPeer self = new ClusterPeer(nodeName, InetAddress.getLoopbackAddress().getHostAddress(), port);
        ownHost = RaftHost.startAlone(self, standaloneDir.resolve("raft"), STANDALONE_SNAPSHOT_EVERY,
                STANDALONE_SEGMENT_BYTES, queues::machineFor);
        queues.attach(ownHost);
        attached = true;
        running.complete(null);
        LOG.info("quorum queues on this standalone node: single-member Raft groups, Raft server on {}", self.address());
    }

    /**
     * The members of a quorum queue: this node alone when standalone; else the members the cluster's
     * log recorded for it ({@link QuorumPlacement}). Asked while a declare is applied from the log,
     * the first time, they are chosen and recorded; asked outside the log (a durable queue recovered
     * from this node's disk before the log is replayed) they are only a guess until the log says.
     */
    public List<ClusterPeer> membersFor(String vhost, String queue, int size, LeaderLocator locator) {
        if (peers == null) {
            return List.of(selfAsPeer());
        }
        List<String> names = inLogApply.getAsBoolean()
                ? placement.recordIfAbsent(vhost, queue, size, nodeNames(), declaringNode(), locator)
                : placement.get(vhost, queue);
        return peersOf(names != null ? names : placement.choose(vhost, queue, size, nodeNames(), null, locator));
    }

    /** The node the queue.declare being applied from the cluster's log came from; null outside one. */
    public String declaringNode() {
        return declaringNode.get();
    }

    /** Whether the queue's members come from the cluster's log (always on a standalone node). */
    public boolean placementKnown(String vhost, String queue) {
        return peers == null || placement.get(vhost, queue) != null;
    }

    /**
     * Tells this node when it applies the cluster's log (a declare applied then records its members)
     * and which node the declare being applied came from (the placement prefers it for the leader).
     */
    public void placedByLog(java.util.function.BooleanSupplier applying, java.util.function.Supplier<String> declaring) {
        this.inLogApply = applying;
        this.declaringNode = declaring;
    }

    public QuorumPlacement placement() {
        return placement;
    }

    public io.warren.cluster.quorum.QuorumMembership membership() {
        return membership;
    }

    /** Every node of the cluster by name (this one alone when standalone). */
    public List<String> nodeNames() {
        if (peers == null) {
            return List.of(nodeName);
        }
        List<String> out = new ArrayList<>();
        peers.members().forEach(p -> out.add(p.name()));
        return out;
    }

    /** The nodes of these names (an unknown name is an error: members are cluster nodes). */
    public List<ClusterPeer> peersOf(List<String> names) {
        List<ClusterPeer> out = new ArrayList<>();
        for (String n : names) {
            out.add(peer(n).orElseThrow(() -> new IllegalArgumentException("no cluster node '" + n + "'")));
        }
        return out;
    }

    public java.util.Optional<ClusterPeer> peer(String name) {
        if (peers == null) {
            return name.equals(nodeName) ? java.util.Optional.of(selfAsPeer()) : java.util.Optional.empty();
        }
        return peers.find(name);
    }

    /**
     * Makes this node the leader of a group it just created (the first election is won by whoever
     * times out first; the placement chose this node to spread leaders). Best effort and bounded:
     * completes normally either way.
     */
    public java.util.concurrent.CompletableFuture<Void> takeLeadership(java.util.UUID id, List<ClusterPeer> members) {
        if (members.size() < 2) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            if (!nodeName.equals(queues.status(id).leader())) {
                membership.transferLeadership(id, members, nodeName, TRANSFER_LEADERSHIP_MILLIS);
            }
        }, starter);
    }

    /**
     * This node left the queue's group: once the log has settled (a replay may add it back a few
     * entries later), a replica still here that the record no longer lists is deleted. The member
     * that removed this one deleted the replica already when it could reach this node; this is for
     * a node that was away then.
     */
    public void leaveLater(String vhost, String queue, java.util.UUID id) {
        long left = System.nanoTime();
        java.util.concurrent.CompletableFuture.delayedExecutor(LEAVE_AFTER_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS,
                starter).execute(() -> {
                    List<String> now = placement.get(vhost, queue);
                    // a replica made since is an add_member on its way (its record follows the group's change)
                    if (now != null && !now.contains(nodeName) && queues.replicaOlderThan(id, left)) {
                        LOG.info("quorum queue '{}' in vhost '{}': no longer a member here; deleting the local replica",
                                queue, vhost);
                        queues.leave(id); // the queue's group is still used here as a client
                    }
                });
    }

    private ClusterPeer selfAsPeer() {
        try {
            return new ClusterPeer(nodeName, InetAddress.getLoopbackAddress().getHostAddress(), standalonePort());
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the quorum queues' Raft port under " + standaloneDir, e);
        }
    }

    /** The standalone Raft port: chosen (a free one) at the first quorum queue and kept from then on. */
    private synchronized int standalonePort() throws IOException {
        Path portFile = standaloneDir.resolve("raft-port");
        if (Files.exists(portFile)) {
            return Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
        }
        Files.createDirectories(standaloneDir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(portFile, Integer.toString(port), StandardCharsets.US_ASCII);
        return port;
    }

    /** A quorum queue's group id: fixed by its vhost and name, so every node finds the same group. */
    public static UUID groupId(String vhost, String queue) {
        return UUID.nameUUIDFromBytes(("warren-quorum-queue\0" + key(vhost, queue)).getBytes(StandardCharsets.UTF_8));
    }

    private static String key(String vhost, String queue) {
        return vhost + "\0" + queue;
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        deliveries.shutdownNow();
        starter.shutdownNow();
        synchronized (this) {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
        queues.close();
        if (ownHost != null) {
            try {
                ownHost.close();
            } catch (IOException e) {
                LOG.warn("closing the quorum queues' Raft server: {}", e.toString());
            }
        }
    }
}
