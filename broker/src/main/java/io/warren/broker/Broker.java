package io.warren.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.warren.broker.admin.WarrenAdmin;
import io.warren.broker.alarm.MemoryMonitor;
import io.warren.broker.alarm.QuietShrink;
import io.warren.broker.cluster.ClusterDefinitions;
import io.warren.broker.cluster.ClusteredAdmin;
import io.warren.broker.quorum.QuorumNode;
import io.warren.broker.config.BrokerConfig;
import io.warren.management.BrokerAdmin;
import io.warren.broker.net.AmqpConnection;
import io.warren.broker.persist.Persistence;
import io.warren.broker.net.ProtocolHeaderHandler;
import io.warren.management.ManagementServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The running broker: the AMQP listener and its event loops, and an orderly shutdown. */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final BrokerState state;
    // Native epoll where available (fewer syscalls and wakeups than NIO)
    private static final boolean EPOLL = Epoll.isAvailable();
    private final EventLoopGroup boss = EPOLL ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    private final EventLoopGroup workers;
    private Channel listener;
    private Channel tlsListener;
    private ManagementServer management;
    private MemoryMonitor memoryMonitor;
    private QuietShrink quietShrink;
    private Persistence persistence;
    private String clusterSecret; // a cluster member's: what its node-to-node links and its Raft port's TLS prove
    /** This node as the management API and the cluster links' stats requests see it (one start time). */
    private WarrenAdmin localAdmin;
    private final io.warren.broker.plugin.Plugins plugins = new io.warren.broker.plugin.Plugins();

    public Broker(BrokerConfig config) {
        int loops = EventLoops.count(config.eventLoops(), Runtime.getRuntime().availableProcessors());
        this.workers = EPOLL ? new EpollEventLoopGroup(loops) : new NioEventLoopGroup(loops);
        this.state = new BrokerState(config, workers);
    }

    public BrokerState state() {
        return state;
    }

    /** Opens the data directory and brings back the durable definitions; call before {@link #start}. */
    public Broker recover() throws java.io.IOException {
        if (state.config().cluster().enabled()) { // before anything opens: a member without it cannot start
            clusterSecret = ClusterSecret.load(state.config().cluster().secret(), state.config().dataDir(),
                    java.nio.file.Path.of(System.getProperty("user.home")));
        }
        // quorum queues first: recovering durable definitions declares them
        QuorumNode quorum = state.config().cluster().enabled()
                ? QuorumNode.clustered(state.nodeName(), state.config().cluster().peers())
                : QuorumNode.standalone(state.nodeName(), state.config().dataDir());
        state.quorum(quorum);
        persistence = Persistence.open(state, state.config().dataDir());
        if (state.config().cluster().enabled()) {
            // after local recovery: the cluster's log and snapshot are applied over what was on disk
            state.cluster(ClusterDefinitions.start(state, new WarrenAdmin(state, () -> state.config().amqpPort()),
                    state.config().dataDir(), clusterSecret, quorum));
            try {
                state.cluster().awaitCaughtUp(); // before any port opens: clients see the cluster's definitions
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the cluster");
            }
        }
        return this;
    }

    /** The management API's view: this node's, with definition changes going through the cluster when there is one. */
    private BrokerAdmin admin(WarrenAdmin local) {
        ClusterDefinitions cluster = state.cluster();
        if (cluster == null) {
            return local;
        }
        // RabbitMQ names a cluster after a node; every member is given the same list, so each picks the same
        String clusterName = state.config().cluster().peers().members().get(0).name();
        return new ClusteredAdmin(local, cluster, clusterName);
    }

    /**
     * Opens the HTTP, amqps, plugin and AMQP listeners. A port that cannot be bound is a {@link StartupException}
     * naming it; the caller then {@link #close()}s what did start.
     */
    public Broker start() throws InterruptedException, javax.net.ssl.SSLException {
        BrokerConfig c = state.config();
        localAdmin = new WarrenAdmin(state, () -> listener == null ? c.amqpPort() : amqpPort());
        // HTTP first, so that once the AMQP port answers the management API does too; a negative port: none
        if (c.httpPort() >= 0) {
            try {
                management = new ManagementServer(admin(localAdmin), c.bind(), c.httpPort()).start();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) { // Netty's sync() rethrows the bind failure undeclared
                throw StartupException.cannotListen(c.bind(), c.httpPort(), "http-port", e);
            }
        }
        memoryMonitor = new MemoryMonitor(state.alarms(), c.memoryHighWatermark(), c.memoryHighWatermarkBytes())
                .start(workers.next());
        quietShrink = QuietShrink.forThisProcess().start(workers.next());
        SslContext tls = null;
        if (c.tls().enabled()) { // before the plain port: once that answers, everything does
            try {
                tls = TlsContexts.server(c.tls());
            } catch (javax.net.ssl.SSLException | IllegalArgumentException e) { // unreadable or mismatched PEM files
                throw new StartupException("cannot use the TLS certificate " + c.tls().cert() + " and key "
                        + c.tls().key() + (c.tls().caCert() == null ? "" : " with CA " + c.tls().caCert()) + ": "
                        + e.getMessage(), e);
            }
            tlsListener = bind(bootstrap(tls), c.bind(), c.tls().port(), "tls-port");
        }
        // protocol plugins (MQTT) before the AMQP port: once that answers, everything does
        try {
            plugins.start(pluginHost(tls), c.pluginOptions());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // a RuntimeException too: it must end in one line and exit 1, not a hung JVM
            throw new StartupException("a protocol plugin did not start: " + e.getMessage(), e);
        }
        if (state.cluster() != null) { // the links before the AMQP port: a client there may use any queue
            startLinks();
        }
        listener = bind(bootstrap(null), c.bind(), c.amqpPort(), "amqp-port");
        return this;
    }

    /**
     * How long a starting node waits for its links to the other members before it opens its client ports
     * (see {@link io.warren.broker.cluster.link.NodeLinks#awaitLinks}): a few redials.
     */
    private static final long LINK_WAIT_MILLIS = 4 * io.warren.broker.cluster.link.NodeLinks.REDIAL_MS;

    /** The node-to-node links on this node's cluster data port (its --cluster-peers port + 10000). */
    private void startLinks() throws InterruptedException {
        BrokerConfig.Cluster c = state.config().cluster();
        String secret = clusterSecret;
        io.warren.cluster.ClusterPeer me = c.peers().self(c.nodeName());
        try {
            state.cluster().links(new io.warren.broker.cluster.link.NodeLinks(state, c.peers(), c.nodeName(), secret,
                    workers, EPOLL ? io.netty.channel.epoll.EpollSocketChannel.class
                            : io.netty.channel.socket.nio.NioSocketChannel.class, localAdmin::nodeStats)
                    .start(boss, EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class));
            state.cluster().links().awaitLinks(LINK_WAIT_MILLIS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // Netty's sync() rethrows the bind failure undeclared
            throw StartupException.cannotListen(me.host(), io.warren.broker.cluster.link.NodeLinks.dataPort(me),
                    "cluster-peers port + 10000, the cluster data port", e);
        }
    }

    private static Channel bind(ServerBootstrap b, String host, int port, String what) throws InterruptedException {
        try {
            return b.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // Netty's sync() rethrows the bind failure undeclared
            throw StartupException.cannotListen(host, port, what, e);
        }
    }

    /** What plugins may use of this broker: its loops, address, data directory and a narrow messaging API. */
    private io.warren.plugin.PluginHost pluginHost(SslContext tls) {
        io.warren.plugin.MessagingCore core = new io.warren.broker.plugin.CoreMessaging(state);
        return new io.warren.plugin.PluginHost() {
            @Override
            public EventLoopGroup bossGroup() {
                return boss;
            }

            @Override
            public EventLoopGroup workerGroup() {
                return workers;
            }

            @Override
            public Class<? extends io.netty.channel.ServerChannel> serverChannelClass() {
                return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            }

            @Override
            public String bindAddress() {
                return state.config().bind();
            }

            @Override
            public java.nio.file.Path dataDir() {
                return state.config().dataDir();
            }

            @Override
            public io.warren.plugin.MessagingCore messaging() {
                return core;
            }

            @Override
            public SslContext serverTls() {
                return tls;
            }
        };
    }

    /** The started plugins' listeners, for the start-up log line. */
    public String pluginsDescription() {
        return plugins.describe();
    }

    /** One listener's bootstrap; with an SslContext its connections speak TLS first (amqps). */
    private ServerBootstrap bootstrap(SslContext ssl) {
        Class<? extends io.netty.channel.ServerChannel> serverChannel =
                EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        return io.warren.plugin.SegmentSizeClamp.apply(new ServerBootstrap(), serverChannel)
                .group(boss, workers)
                .channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // deliveries stop (consumers are skipped) while a client's socket buffer is this full
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        AmqpConnection connection = new AmqpConnection(state);
                        ch.pipeline().addLast("header", new ProtocolHeaderHandler(connection));
                        ch.pipeline().addLast("amqp", connection);
                    }
                });
    }

    /** The amqps port, or -1 when TLS is off. */
    public int tlsPort() {
        return tlsListener == null ? -1 : ((InetSocketAddress) tlsListener.localAddress()).getPort();
    }

    /** The management API's port (the bound one when configured as 0), or -1 when it is off. */
    public int httpPort() {
        return management == null ? -1 : management.port();
    }

    public int amqpPort() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Closes every client connection with 320 CONNECTION_FORCED, then stops the loops. */
    @Override
    public void close() {
        LOG.info("shutting down: closing {} connection(s)", state.connections().size());
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        if (tlsListener != null) {
            tlsListener.close().awaitUninterruptibly();
        }
        if (quietShrink != null) {
            quietShrink.close();
        }
        if (memoryMonitor != null) {
            memoryMonitor.close();
        }
        plugins.close();
        if (management != null) {
            management.close();
        }
        state.connections().forEach(conn -> conn.forceClose("shutdown"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!state.connections().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (state.quorum() != null) {
            state.quorum().close();
        }
        if (state.cluster() != null) {
            state.cluster().close();
        }
        if (persistence != null) {
            persistence.close(); // after the loops: nothing can write any more
        }
        LOG.info("broker stopped");
    }
}
