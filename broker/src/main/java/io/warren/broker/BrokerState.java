package io.warren.broker;

import io.warren.broker.admin.BrokerCounters;
import io.warren.broker.alarm.ResourceAlarms;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.PermissionStore;
import io.warren.broker.auth.UserStore;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.model.TopologyListener;
import io.warren.broker.model.VirtualHost;
import io.warren.broker.net.AmqpConnection;
import io.warren.broker.net.ConnectionSlots;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What every connection shares: configuration, users, virtual hosts and the live connections. */
public final class BrokerState {
    private final BrokerConfig config;
    private final io.netty.util.concurrent.EventExecutorGroup loops;
    private final UserStore users;
    private final Map<String, VirtualHost> vhosts = new ConcurrentHashMap<>();
    private final Set<AmqpConnection> connections = ConcurrentHashMap.newKeySet();
    private final ConnectionSlots connectionSlots = new ConnectionSlots();
    private final io.warren.broker.plugin.PluginConnections pluginConnections = new io.warren.broker.plugin.PluginConnections();
    private final BrokerCounters counters = new BrokerCounters();
    private final PermissionStore permissions = new PermissionStore();
    private final io.warren.broker.persist.CreationIndexes creationIndexes = new io.warren.broker.persist.CreationIndexes();
    private final ResourceAlarms alarms = new ResourceAlarms();
    private final io.warren.broker.channel.ReplyAddresses replyAddresses;
    private final String nodeName;
    private final java.util.concurrent.atomic.AtomicLong connectionIds = new java.util.concurrent.atomic.AtomicLong();
    private volatile TopologyListener topologyListener = TopologyListener.NONE;
    private volatile java.util.function.BiConsumer<String, Boolean> vhostListener = (name, added) -> { };

    /** A broker state outside a running broker (tests): queue timers run on Netty's global executor. */
    public BrokerState(BrokerConfig config) {
        this(config, io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    }

    /** @param loops the broker's event loops: timers of queues declared off them run there */
    public BrokerState(BrokerConfig config, io.netty.util.concurrent.EventExecutorGroup loops) {
        this.config = config;
        this.nodeName = config.cluster().nodeName() != null ? config.cluster().nodeName()
                : io.warren.broker.config.NodeName.lookUp();
        this.replyAddresses = new io.warren.broker.channel.ReplyAddresses(nodeName);
        this.loops = loops;
        this.users = new UserStore(config.defaultUser(), config.defaultPassword());
        vhosts.put("/", new VirtualHost("/", loops));
        // as RabbitMQ's first start: the default user may do everything in the default vhost
        permissions.set(config.defaultUser(), "/", new Permission(".*", ".*", ".*"));
        alarms.onChange(a -> connections.forEach(c -> c.alarmsChanged(a.any(), a.reason())));
        alarms.onChange(a -> pluginConnections.all().forEach(o -> o.connection().alarmsChanged(a.any(), a.reason())));
    }

    private volatile io.warren.broker.persist.MessagePersistence messagePersistence;
    private final Map<io.warren.broker.model.QueueType, io.warren.broker.model.QueueTypes.Factory> queueTypes =
            new ConcurrentHashMap<>();

    /** A queue type's own implementation, for every vhost now and later (before anything is declared). */
    public void registerQueueType(io.warren.broker.model.QueueType type, io.warren.broker.model.QueueTypes.Factory f) {
        queueTypes.put(type, f);
        vhosts.values().forEach(v -> v.queueTypes().register(type, f));
    }

    /** Where persistent messages go; null until the data directory is open. */
    public io.warren.broker.persist.MessagePersistence messagePersistence() {
        return messagePersistence;
    }

    public void messagePersistence(io.warren.broker.persist.MessagePersistence p) {
        this.messagePersistence = p;
        vhosts.values().forEach(v -> v.setStoreHook(p));
    }

    /** A number for the next accepted connection, unique in this broker; its log lines carry it as {@code <0.N.0>}. */
    public long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    private volatile io.warren.broker.cluster.ClusterDefinitions cluster;
    private volatile io.warren.broker.quorum.QuorumNode quorum;

    /** This node's quorum queues (their Raft groups); null until the broker recovers. */
    public io.warren.broker.quorum.QuorumNode quorum() {
        return quorum;
    }

    /** From now on {@code x-queue-type: quorum} declares a replicated queue, in every vhost. */
    public void quorum(io.warren.broker.quorum.QuorumNode node) {
        this.quorum = node;
        registerQueueType(io.warren.broker.model.QueueType.QUORUM, io.warren.broker.model.QuorumQueue.factory(node));
    }

    /** The cluster this node is a member of; null on a standalone broker. */
    public io.warren.broker.cluster.ClusterDefinitions cluster() {
        return cluster;
    }

    public void cluster(io.warren.broker.cluster.ClusterDefinitions cluster) {
        this.cluster = cluster;
        vhosts.values().forEach(cluster::attach);
    }

    public ResourceAlarms alarms() {
        return alarms;
    }

    /** The direct reply-to addresses handed out to live reply consumers. */
    public io.warren.broker.channel.ReplyAddresses replyAddresses() {
        return replyAddresses;
    }

    /**
     * "warren@host", RabbitMQ's node-name shape, for cluster_name and the management API. Looked
     * up once at start: a host-name lookup can take seconds where DNS is slow, never on a loop.
     */
    public String nodeName() {
        return nodeName;
    }

    public PermissionStore permissions() {
        return permissions;
    }

    /** In a cluster, which log entry created each vhost and queue (the replay at start skips older ones). */
    public io.warren.broker.persist.CreationIndexes creationIndexes() {
        return creationIndexes;
    }

    /** Adds a vhost if missing; returns it. */
    public VirtualHost addVhost(String name) {
        VirtualHost existing = vhosts.get(name);
        if (existing != null) {
            return existing;
        }
        VirtualHost v = new VirtualHost(name, loops);
        queueTypes.forEach(v.queueTypes()::register);
        v.setListener(topologyListener);
        if (cluster != null) {
            cluster.attach(v);
        }
        if (messagePersistence != null) {
            v.setStoreHook(messagePersistence);
        }
        VirtualHost raced = vhosts.putIfAbsent(name, v);
        if (raced != null) {
            return raced;
        }
        vhostListener.accept(name, true);
        return v;
    }

    /**
     * Connects the persistence layer, once it has recovered what was on disk: from now on it hears
     * every change to exchanges, queues and bindings (in every vhost) and to the vhosts themselves.
     */
    public void attachPersistence(TopologyListener topology, java.util.function.BiConsumer<String, Boolean> vhostChanges) {
        this.topologyListener = topology;
        this.vhostListener = vhostChanges;
        vhosts.values().forEach(v -> v.setListener(topology));
    }

    /** Deletes a vhost with everything in it: its clients are disconnected, its queues dropped. */
    public boolean deleteVhost(String name) {
        VirtualHost v = vhosts.remove(name);
        if (v == null) {
            return false;
        }
        permissions.clearVhost(name);
        vhostListener.accept(name, false);
        for (AmqpConnection c : connections) {
            if (c.vhost() == v) {
                c.forceClose("vhost '" + name + "' is deleted");
            }
        }
        for (io.warren.broker.plugin.PluginConnections.Open o : pluginConnections.all()) {
            if (o.vhost() == v) {
                o.connection().closeByOperator("vhost '" + name + "' is deleted");
            }
        }
        for (io.warren.broker.model.AmqpQueue q : java.util.List.copyOf(v.queues())) {
            v.deleteQueue(q, false, false);
        }
        return true;
    }

    public BrokerConfig config() {
        return config;
    }

    public UserStore users() {
        return users;
    }

    public VirtualHost vhost(String name) {
        return vhosts.get(name);
    }

    public Set<AmqpConnection> connections() {
        return connections;
    }

    /** The node-wide connection limit: slots held by connections past connection.open. */
    public ConnectionSlots connectionSlots() {
        return connectionSlots;
    }

    /** Protocol plugins' client connections (MQTT), logged in and counted like AMQP ones. */
    public io.warren.broker.plugin.PluginConnections pluginConnections() {
        return pluginConnections;
    }

    /** Connections open (past connection.open, or a plugin's login) in this vhost. */
    public int openConnections(VirtualHost v) {
        int n = pluginConnections.count(v);
        for (AmqpConnection c : connections) {
            if (c.vhost() == v && c.isOpen()) {
                n++;
            }
        }
        return n;
    }

    /** Every virtual host (for the management API). */
    public Collection<VirtualHost> vhosts() {
        return vhosts.values();
    }

    /** Broker-wide message counters (publish, deliver, ack ...) for the management API and metrics. */
    public BrokerCounters counters() {
        return counters;
    }
}
