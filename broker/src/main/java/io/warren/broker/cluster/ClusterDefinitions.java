package io.warren.broker.cluster;

import io.warren.broker.BrokerState;
import io.warren.broker.admin.WarrenAdmin;
import io.warren.broker.error.ChannelException;
import io.warren.cluster.ClusterNode;
import io.warren.cluster.ClusterUnavailableException;
import io.warren.cluster.Member;
import io.warren.codec.AmqpConstants;
import io.warren.management.model.AdminException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The broker's door to the cluster: definition changes go in as commands and come back, once a
 * majority committed them and this node applied them, as a result or as the AMQP error the change
 * met. Without a majority a change fails after {@link #COMMIT_TIMEOUT_MILLIS} with a soft
 * {@code 541 INTERNAL_ERROR} channel error; nothing already running (queues, consumers) is touched.
 */
public final class ClusterDefinitions implements AutoCloseable {
    /** How long a definition change waits for a majority before it is refused. */
    public static final long COMMIT_TIMEOUT_MILLIS = 5000;
    /** How long a starting node waits for a majority before it opens its ports without one. */
    static final long START_WAIT_MILLIS = 60_000;
    /**
     * Snapshot every this many log entries (a node that was away gets the snapshot). Ratis' settings are the
     * node's Raft server's, shared by the definitions' group and every quorum queue's group on the node, so
     * both sizes suit the queues too: each snapshot attempt of a busy queue costs its state's size, and a
     * queue's deliveries read bodies back from its log, cached two segments at a time.
     */
    private static final long SNAPSHOT_EVERY = 4096;
    /** Raft log segment size (only closed segments are purged; 1 MiB made a busy queue roll a segment a second). */
    private static final long LOG_SEGMENT_BYTES = 8 * 1024 * 1024;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterDefinitions.class);

    /**
     * How long a definition change waits, after this node applied it, for the other running nodes to
     * apply it too. Bounded so that a node that is slow or cut off without its link noticing costs a
     * change at most this much; such a node is the only one that can then lag behind an answer.
     */
    static final long PEERS_APPLIED_WAIT_MILLIS = 2000;

    /** How often a definitions file given at start is offered again while the cluster has no majority. */
    static final long IMPORT_RETRY_MILLIS = 1000;

    private final ClusterNode node;
    private volatile boolean closed;
    private final ReplicatedDefinitions replica;
    private final java.util.concurrent.atomic.AtomicReference<io.warren.broker.cluster.link.NodeLinks> links;

    private ClusterDefinitions(ClusterNode node, ReplicatedDefinitions replica,
                               java.util.concurrent.atomic.AtomicReference<io.warren.broker.cluster.link.NodeLinks> links) {
        this.node = node;
        this.replica = replica;
        this.links = links;
    }

    /**
     * Joins the cluster named in the configuration; Raft state lives under {@code dataDir/cluster}, and the
     * Raft port takes only members and clients that know {@code secret}.
     */
    public static ClusterDefinitions start(BrokerState state, WarrenAdmin admin, Path dataDir, String secret,
                                           io.warren.broker.quorum.QuorumNode quorum) throws IOException {
        java.util.concurrent.atomic.AtomicReference<io.warren.broker.cluster.link.NodeLinks> links =
                new java.util.concurrent.atomic.AtomicReference<>();
        ReplicatedDefinitions replica = new ReplicatedDefinitions(state, admin, links::get);
        // quorum queues this node holds no member of are served through a member over these links
        quorum.relays(io.warren.broker.cluster.link.MemberRelay.factory(links::get));
        // before the log is replayed: queues homed elsewhere are made as proxies from the first command on
        state.vhosts().forEach(v -> v.queueTypes().register(io.warren.broker.model.QueueType.CLASSIC,
                replica.classicQueues()));
        Path raftDir = dataDir.resolve("cluster");
        if (!java.nio.file.Files.isDirectory(raftDir)) {
            state.creationIndexes().forgetAll(); // a new log: the indexes of an earlier one mean nothing in it
        }
        // a quorum queue declared from the log records its members (the same on every node)
        quorum.placedByLog(() -> state.creationIndexes().current() != io.warren.broker.persist.CreationIndexes.UNKNOWN,
                replica::declaringNode);
        ClusterNode node = ClusterNode.start(state.nodeName(), state.config().cluster().peers(), secret,
                raftDir, replica, COMMIT_TIMEOUT_MILLIS, SNAPSHOT_EVERY, LOG_SEGMENT_BYTES, quorum.queues()::machineFor);
        quorum.attach(node.host()); // quorum queues' groups share the node's Raft server and port
        return new ClusterDefinitions(node, replica, links);
    }

    /**
     * Waits (at start) until this node has applied what the cluster committed while it was away; see
     * {@link ClusterNode#awaitCaughtUp}. Without a majority within {@link #START_WAIT_MILLIS} the node
     * starts anyway: it serves what it has, and definition changes are refused until a majority is back.
     */
    public void awaitCaughtUp() throws InterruptedException {
        if (!node.awaitCaughtUp(START_WAIT_MILLIS)) {
            LOG.warn("no majority of the cluster answered within {} s; starting without it: definition changes "
                    + "are refused until a majority of the nodes is back", START_WAIT_MILLIS / 1000);
        }
    }

    /**
     * Completes once this node applied everything the cluster committed before this call (an empty
     * entry through the log), or fails with the 541 a change without a majority gets.
     */
    public CompletableFuture<Object> caughtUp() {
        return node.submit(io.warren.cluster.ClusterNode.NO_OP).handle((bytes, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new CompletionException(new ChannelException(AmqpConstants.INTERNAL_ERROR,
                        "INTERNAL_ERROR - " + cause.getMessage()));
            }
            return null;
        });
    }

    public String nodeName() {
        return node.nodeName();
    }

    /** The node that hosts a classic queue (null: unknown, e.g. an exclusive queue, which stays local). */
    public String homeOf(String vhost, String queue) {
        return replica.homeOf(vhost, queue);
    }

    /**
     * Replicates a command for a channel: completes when this node applied it, or fails with the
     * {@link ChannelException} to close the channel with (the change's own AMQP error, or 541 when
     * there is no majority).
     */
    public CompletableFuture<Object> submit(Map<String, Object> command) {
        return node.submit(DefinitionCommands.encode(command)).thenCompose(this::onEveryRunningNode)
                .handle((bytes, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new CompletionException(new ChannelException(AmqpConstants.INTERNAL_ERROR,
                        "INTERNAL_ERROR - " + (cause instanceof ClusterUnavailableException ? cause.getMessage()
                                : "cluster error: " + cause.getClass().getSimpleName())));
            }
            Map<String, Object> r = DefinitionCommands.decode(bytes);
            if (r.containsKey("code")) {
                throw new CompletionException(new ChannelException(((Number) r.get("code")).intValue(),
                        (String) r.get("text")));
            }
            if (r.containsKey("invalid")) {
                throw new CompletionException(new IllegalArgumentException((String) r.get("invalid")));
            }
            return r.get("value");
        });
    }

    /**
     * Holds a change's answer until the other running nodes applied it too, as a RabbitMQ 3 node answers a
     * declare only once every node's Mnesia has the new queue: a client told {@code declare-ok} (or
     * {@code bind-ok}) through one node may publish through another at once, and that node must route
     * with the change, not drop the message as unroutable.
     */
    private CompletableFuture<byte[]> onEveryRunningNode(byte[] result) {
        io.warren.broker.cluster.link.NodeLinks l = links.get();
        if (l == null) {
            return CompletableFuture.completedFuture(result);
        }
        return l.peersApplied(node.appliedIndex(), PEERS_APPLIED_WAIT_MILLIS).thenApply(v -> result);
    }

    /** Completes once this node applied the definitions log up to {@code index}. */
    public CompletableFuture<Void> awaitApplied(long index) {
        return node.awaitApplied(index);
    }

    /**
     * Replicates a management action and waits for it (the HTTP API's threads may block): its
     * value, or the {@link AdminException} / {@link IllegalArgumentException} the action met.
     */
    public Object submitAdmin(String action, Object... args) {
        try {
            return submit(DefinitionCommands.admin(action, args)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ChannelException c) {
                throw new AdminException(c.replyCode(), c.replyText());
            }
            if (e.getCause() instanceof IllegalArgumentException i) {
                throw i;
            }
            throw e;
        }
    }

    /**
     * The definitions file given at start ({@code --definitions}) goes through the log like an import
     * over HTTP, so every node has the same queues with the same homes (this node for the queues the file
     * does not home elsewhere). Until a majority is up the import is retried every
     * {@link #IMPORT_RETRY_MILLIS} without holding up the start; a document the broker refuses is logged.
     */
    public void importAtStart(Map<String, Object> defs, Path file) {
        java.util.Set<String> names = new java.util.HashSet<>();
        members().forEach(m -> names.add(m.name()));
        Map<String, Object> homed = ImportHomes.assign(defs, nodeName(), names);
        submitImport(homed, file, true);
    }

    private void submitImport(Map<String, Object> defs, Path file, boolean first) {
        if (closed) {
            return;
        }
        submit(DefinitionCommands.admin("importDefinitions", defs)).whenComplete((r, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null) {
                LOG.info("imported definitions from {} into the cluster", file.toAbsolutePath());
            } else if (cause instanceof ChannelException c && c.replyCode() == AmqpConstants.INTERNAL_ERROR) {
                if (first) {
                    LOG.info("definitions from {} wait for a majority of the cluster: {}", file, c.getMessage());
                }
                CompletableFuture.delayedExecutor(IMPORT_RETRY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
                        .execute(() -> submitImport(defs, file, false));
            } else {
                LOG.warn("definitions from {} not imported: {}", file, cause.getMessage());
            }
        });
    }

    /** Queues of this vhost that delete themselves (auto-delete, x-expires) do so through the log. */
    public void attach(io.warren.broker.model.VirtualHost v) {
        v.queueTypes().register(io.warren.broker.model.QueueType.CLASSIC, replica.classicQueues());
        v.setReplicatedDeletion(q -> submit(DefinitionCommands.queueDelete(v.name(), q.name(), false, false))
                .whenComplete((r, failure) -> {
                    if (failure != null) {
                        LOG.info("auto-deletion of {} not replicated: {}", q, failure.getMessage());
                    }
                }));
    }

    /** The node-to-node links are up (listening and dialing): queues on other nodes are reachable from now. */
    public void links(io.warren.broker.cluster.link.NodeLinks links) {
        this.links.set(links);
    }

    /** The node-to-node links; null until they started. */
    public io.warren.broker.cluster.link.NodeLinks links() {
        return links.get();
    }

    public List<Member> members() {
        return node.members();
    }

    /** Records a quorum queue's new members in the log (after its Raft group changed); blocking. */
    public void recordQuorumMembers(String vhost, String queue, List<String> members) {
        try {
            submit(QuorumMemberCommands.members(vhost, queue, members)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ChannelException c) {
                throw new AdminException(c.replyCode(), c.replyText());
            }
            throw e;
        }
    }

    /** rabbitmqctl forget_cluster_node: blocking, for the HTTP API's threads. */
    public void forget(String name) throws IOException {
        node.forget(name);
    }

    @Override
    public void close() {
        closed = true;
        if (links.get() != null) {
            links.get().close();
        }
        node.close();
    }
}
