package io.warren.broker.cluster.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.warren.broker.BrokerState;
import io.warren.cluster.ClusterPeer;
import io.warren.cluster.ClusterPeers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node-to-node links of a cluster member: one authenticated TCP connection per pair of
 * nodes, on each node's <em>cluster data port</em> (its {@code --cluster-peers} port + 10000, or
 * - 10000 above 55535; the Raft traffic keeps the port itself; an offset of 1 would collide with the
 * next node's Raft port in the usual consecutive numbering). The node whose name sorts first dials and redials every
 * {@link #REDIAL_MS} while the link is down; the other accepts. The links run on the broker's own
 * event loops (no threads of their own). Messages for queues homed elsewhere, deliveries from
 * them and their settlements travel here; Raft traffic stays on Ratis.
 */
public final class NodeLinks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLinks.class);
    public static final long REDIAL_MS = 1000;

    private final BrokerState state;
    private final ClusterPeers peers;
    private final String self;
    private final LinkAuth auth;
    private final EventLoopGroup loops;
    private final Class<? extends Channel> clientChannel;
    private final java.util.function.Supplier<io.warren.management.model.NodeStats> localStats;
    private final Map<String, PeerLink> up = new ConcurrentHashMap<>();
    private Channel listener;
    private volatile boolean closed;

    /** {@code localStats}: this node's figures, which a peer asks for (cheap, non-blocking). */
    public NodeLinks(BrokerState state, ClusterPeers peers, String self, String secret, EventLoopGroup loops,
                     Class<? extends Channel> clientChannel,
                     java.util.function.Supplier<io.warren.management.model.NodeStats> localStats) {
        this.state = state;
        this.localStats = localStats;
        this.peers = peers;
        this.self = self;
        this.auth = new LinkAuth(secret);
        this.loops = loops;
        this.clientChannel = clientChannel;
    }

    /** The offset of a member's data port from its Raft port. */
    public static final int DATA_PORT_OFFSET = 10_000;

    /** The data port of a member: its Raft port + 10000 (- 10000 when that would pass 65535). */
    public static int dataPort(ClusterPeer p) {
        return p.port() + DATA_PORT_OFFSET <= 65535 ? p.port() + DATA_PORT_OFFSET : p.port() - DATA_PORT_OFFSET;
    }

    /** Listens on this node's data port and starts dialing the members whose names sort after it. */
    public NodeLinks start(EventLoopGroup boss, Class<? extends ServerChannel> serverChannel) throws InterruptedException {
        ClusterPeer me = peers.self(self);
        ServerBootstrap b = new ServerBootstrap().group(boss, loops).channel(serverChannel)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
                .childHandler(initializer(null));
        listener = b.bind(new InetSocketAddress(me.host(), dataPort(me))).sync().channel();
        for (ClusterPeer p : peers.members()) {
            if (p.name().compareTo(self) > 0) {
                dial(p);
            }
        }
        state.replyAddresses().remote(new RemoteReplies());
        return this;
    }

    /** Direct reply-to across nodes: replies and declares of an address go to the node that gave it out. */
    private final class RemoteReplies implements io.warren.broker.channel.ReplyAddresses.RemoteReplies {
        /** Sent over the link, in order with the replier's other replies; dropped while that node has no link. */
        @Override
        public boolean forward(String node, io.warren.broker.model.Message reply) {
            PeerLink link = up.get(node);
            if (link == null) {
                return false;
            }
            link.send(new LinkMessage.DirectReply(reply));
            return true;
        }

        /** A node without a link, or one lost before it answered, has no such address (RabbitMQ: not_found). */
        @Override
        public java.util.concurrent.CompletableFuture<Boolean> exists(String node, String address) {
            PeerLink link = up.get(node);
            if (link == null) {
                return java.util.concurrent.CompletableFuture.completedFuture(false);
            }
            return link.request(null, corr -> new LinkMessage.ReplyAddressCheck(corr, address))
                    .handle((r, failure) -> failure == null && ((LinkMessage.Reply) r).value() == 1);
        }
    }

    private ChannelInitializer<Channel> initializer(String expectedPeer) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                LinkCodec.install(ch.pipeline());
                ch.pipeline().addLast("handshake", new LinkHandshake(NodeLinks.this, expectedPeer));
            }
        };
    }

    private void dial(ClusterPeer p) {
        if (closed) {
            return;
        }
        ChannelFuture f = new Bootstrap().group(loops).channel(clientChannel)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
                .handler(initializer(p.name()))
                .connect(p.host(), dataPort(p));
        // redial when the connection fails or, once made, closes (whether or not it got through the handshake)
        f.addListener((ChannelFuture cf) -> {
            if (cf.isSuccess()) {
                cf.channel().closeFuture().addListener(x -> redial(p));
            } else {
                redial(p);
            }
        });
    }

    private void redial(ClusterPeer p) {
        // the event loops close their channels as they stop: that is no reason to dial again
        if (closed || loops.isShuttingDown()) {
            return;
        }
        try {
            loops.next().schedule(() -> dial(p), REDIAL_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the loops began stopping after the check above: the broker is shutting down
        }
    }

    String self() {
        return self;
    }

    boolean isPeer(String node) {
        return peers.find(node).isPresent() && !node.equals(self);
    }

    LinkAuth auth() {
        return auth;
    }

    long maxMessageSize() {
        return state.config().maxMessageSize();
    }

    io.warren.management.model.NodeStats localStats() {
        return localStats.get();
    }

    BrokerState state() {
        return state;
    }

    /** A handshake completed. A second link from the same node replaces the first (it redialed). */
    void up(PeerLink link) {
        PeerLink old = up.put(link.node(), link);
        if (old != null) {
            old.close();
        }
        LOG.info("cluster link to node '{}' is up ({})", link.node(), link.remoteAddress());
        synchronized (up) {
            up.notifyAll();
        }
    }

    /**
     * Waits at start, at most {@code millis}, until the links to all other members are up: the nodes of
     * a cluster start at about the same time, and a link is dialed again only every {@link #REDIAL_MS}, so
     * without this wait a client of a node just started could be told that a queue's home node, which
     * is running, "is down or inaccessible". A member that is really down costs the start that long once.
     *
     * @return whether every link is up
     */
    public boolean awaitLinks(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (up) {
            while (true) {
                List<String> missing = missingLinks();
                if (missing.isEmpty()) {
                    return true;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    LOG.info("starting without a link to {} (not reached within {} ms)", missing, millis);
                    return false;
                }
                up.wait(left);
            }
        }
    }

    private List<String> missingLinks() {
        List<String> missing = new java.util.ArrayList<>();
        for (ClusterPeer p : peers.members()) {
            if (!p.name().equals(self) && !up.containsKey(p.name())) {
                missing.add(p.name());
            }
        }
        return missing;
    }

    /** Completes once this node applied the cluster's definitions log up to {@code index}. */
    java.util.concurrent.CompletableFuture<Void> awaitApplied(long index) {
        return state.cluster().awaitApplied(index);
    }

    /**
     * Completes once every member whose link is up applied the definitions log up to {@code index}, or
     * after {@code timeoutMillis}, whichever comes first; never fails. A member without a link (down) is
     * not waited for: it catches up from the log before it serves clients again.
     */
    public java.util.concurrent.CompletableFuture<Void> peersApplied(long index, long timeoutMillis) {
        List<java.util.concurrent.CompletableFuture<Void>> answers = new java.util.ArrayList<>();
        for (PeerLink link : up.values()) {
            answers.add(link.applied(index, timeoutMillis).exceptionally(slow -> {
                LOG.debug("node '{}' did not confirm applying entry {}: {}", link.node(), index, slow.getMessage());
                return null;
            }));
        }
        return java.util.concurrent.CompletableFuture.allOf(answers.toArray(java.util.concurrent.CompletableFuture[]::new));
    }

    /** Credit flow from {@code home}: its queue's stand-in here holds this node's publishers, or lets them go. */
    void flowReported(String home, LinkMessage.Flow f) {
        io.warren.broker.model.VirtualHost v = state.vhost(f.vhost());
        if (v != null && v.queue(f.queue()) instanceof RemoteQueue q && q.home().equals(home)) {
            q.homeReported(f.congested());
        }
    }

    /** The link to {@code home} went: nothing holds this node's publishers to its queues any more. */
    void flowLost(String home) {
        for (io.warren.broker.model.VirtualHost v : state.vhosts()) {
            for (io.warren.broker.model.AmqpQueue q : v.queues()) {
                if (q instanceof RemoteQueue r && r.home().equals(home)) {
                    r.homeReported(false);
                }
            }
        }
    }

    /** A link closed: what travelled over it is given back (see {@link PeerLink#lost}). */
    void down(PeerLink link) {
        if (up.remove(link.node(), link)) {
            LOG.info("cluster link to node '{}' is down", link.node());
        }
    }

    /** The link to {@code node}, or null while it is down. */
    public PeerLink link(String node) {
        return up.get(node);
    }

    public String selfName() {
        return self;
    }

    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        up.values().forEach(PeerLink::close);
    }
}
