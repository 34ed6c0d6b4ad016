package io.warren.broker.cluster;

import io.warren.broker.auth.PasswordHash;
import io.warren.broker.admin.WarrenAdmin;
import io.warren.broker.cluster.link.NodeLinks;
import io.warren.broker.cluster.link.PeerLink;
import io.warren.cluster.Member;
import io.warren.management.BrokerAdmin;
import io.warren.management.model.AckMode;
import io.warren.management.model.AdminException;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ClusterMemberInfo;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.GotMessage;
import io.warren.management.model.MessageCounters;
import io.warren.management.model.NodeInfo;
import io.warren.management.model.NodeStats;
import io.warren.management.model.PermissionInfo;
import io.warren.management.model.PolicyInfo;
import io.warren.management.model.QueueInfo;
import io.warren.management.model.UserInfo;
import io.warren.management.model.VhostInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The management API of a clustered node: reads and message operations are this node's
 * ({@link WarrenAdmin}); every change to a definition goes through the cluster's log and is
 * replayed by each node's own WarrenAdmin ({@link AdminActions}), so the HTTP API on any node
 * changes the definitions of all.
 */
public final class ClusteredAdmin implements BrokerAdmin {
    /** How long /api/nodes waits for another member's figures before it shows the member down. */
    static final long STATS_TIMEOUT_MILLIS = 2000;

    private final WarrenAdmin local;
    private final ClusterDefinitions cluster;
    private final String clusterName;

    public ClusteredAdmin(WarrenAdmin local, ClusterDefinitions cluster, String clusterName) {
        this.local = local;
        this.cluster = cluster;
        this.clusterName = clusterName;
    }

    @Override
    public NodeInfo node() {
        NodeInfo n = local.node();
        return new NodeInfo(n.name(), n.product(), n.version(), clusterName, n.startedAt(), n.amqpBind(), n.amqpPort(),
                n.osPid(), n.dataDir(), n.memUsed(), n.memLimit(), n.diskFreeLimit());
    }

    @Override
    public List<ClusterMemberInfo> clusterMembers() {
        List<ClusterMemberInfo> out = new ArrayList<>();
        for (Member m : cluster.members()) {
            out.add(new ClusterMemberInfo(m.name(), m.address(), m.running(), m.leader()));
        }
        return out;
    }

    @Override
    public NodeStats nodeStats() {
        return local.nodeStats();
    }

    /**
     * This node's figures and, asked for all at once over the node links, the others'; a member
     * without a link, or that does not answer within {@link #STATS_TIMEOUT_MILLIS}, is shown down.
     */
    @Override
    public List<NodeStats> clusterNodeStats() {
        NodeLinks links = cluster.links();
        List<CompletableFuture<NodeStats>> asked = new ArrayList<>();
        for (Member m : cluster.members()) {
            PeerLink link = links == null ? null : links.link(m.name());
            if (m.name().equals(cluster.nodeName())) {
                asked.add(CompletableFuture.completedFuture(local.nodeStats()));
            } else if (link == null) {
                asked.add(CompletableFuture.completedFuture(NodeStats.down(m.name())));
            } else {
                asked.add(link.stats(STATS_TIMEOUT_MILLIS).exceptionally(failure -> NodeStats.down(m.name())));
            }
        }
        return asked.stream().map(CompletableFuture::join).toList();
    }

    @Override
    public String queueNode(String vhost, String queue) {
        return cluster.homeOf(vhost, queue);
    }

    /** Membership changes go through the queue's Raft group, then through the cluster's log. */
    @Override
    public io.warren.management.QuorumAdmin quorumQueues() {
        return local.quorumQueues();
    }

    @Override
    public void forgetClusterNode(String name) {
        try {
            cluster.forget(name);
        } catch (IllegalArgumentException e) {
            throw new AdminException(404, "NOT_FOUND - " + e.getMessage());
        } catch (IOException e) {
            throw new AdminException(541, "INTERNAL_ERROR - " + e.getMessage());
        }
    }

    // ---- reads and message operations: this node's --------------------------------------------

    @Override
    public MessageCounters counters() {
        return local.counters();
    }

    @Override
    public List<String> alarms() {
        return local.alarms();
    }

    @Override
    public List<VhostInfo> vhosts() {
        return local.vhosts();
    }

    @Override
    public List<UserInfo> users() {
        return local.users();
    }

    @Override
    public Optional<UserInfo> authenticate(String user, String password, boolean fromLoopback) {
        return local.authenticate(user, password, fromLoopback);
    }

    @Override
    public List<PermissionInfo> permissions() {
        return local.permissions();
    }

    @Override
    public List<QueueInfo> queues() {
        return local.queues();
    }

    @Override
    public List<ExchangeInfo> exchanges() {
        return local.exchanges();
    }

    @Override
    public List<BindingInfo> bindings() {
        return local.bindings();
    }

    @Override
    public ClientsSnapshot clients() {
        return local.clients();
    }

    @Override
    public int purgeQueue(String vhost, String name) {
        return local.purgeQueue(vhost, name);
    }

    @Override
    public boolean publish(String vhost, String exchange, String routingKey, Map<String, Object> properties,
                           byte[] payload) {
        return local.publish(vhost, exchange, routingKey, properties, payload);
    }

    @Override
    public List<GotMessage> get(String vhost, String queue, int count, AckMode mode) {
        return local.get(vhost, queue, count, mode);
    }

    @Override
    public io.warren.management.model.ChurnCounters churn() {
        return local.churn();
    }

    /** Tracing is a node's own setting, as rabbitmqctl trace_on: not replicated. */
    @Override
    public boolean setTracing(String vhost, boolean on) {
        return local.setTracing(vhost, on);
    }

    @Override
    public boolean closeConnection(String name, String reason) {
        return local.closeConnection(name, reason);
    }

    @Override
    public List<PolicyInfo> policies() {
        return local.policies();
    }

    // ---- definition changes: through the cluster ----------------------------------------------

    @Override
    public boolean declareQueue(String vhost, String name, boolean durable, boolean autoDelete,
                                Map<String, Object> arguments) {
        return bool(cluster.submitAdmin("declareQueue", vhost, name, durable, autoDelete, arguments,
                cluster.nodeName()));
    }

    @Override
    public boolean deleteQueue(String vhost, String name, boolean ifUnused, boolean ifEmpty) {
        local.checkQueueDeletable(vhost, name, ifUnused, ifEmpty); // the log gets it unconditional
        return bool(cluster.submitAdmin("deleteQueue", vhost, name, false, false));
    }

    @Override
    public boolean declareExchange(String vhost, String name, String type, boolean durable, boolean autoDelete,
                                   boolean internal, Map<String, Object> arguments) {
        return bool(cluster.submitAdmin("declareExchange", vhost, name, type, durable, autoDelete, internal,
                arguments));
    }

    @Override
    public boolean deleteExchange(String vhost, String name, boolean ifUnused) {
        local.checkExchangeDeletable(vhost, name, ifUnused); // the log gets it unconditional
        return bool(cluster.submitAdmin("deleteExchange", vhost, name, false));
    }

    @Override
    public void bind(String vhost, String source, String destinationType, String destination, String routingKey,
                     Map<String, Object> arguments) {
        cluster.submitAdmin("bind", vhost, source, destinationType, destination, routingKey, arguments);
    }

    @Override
    public boolean unbind(String vhost, String source, String destinationType, String destination, String routingKey,
                          Map<String, Object> arguments) {
        return bool(cluster.submitAdmin("unbind", vhost, source, destinationType, destination, routingKey, arguments));
    }

    /** The password is hashed here, once: a salted hash made on each node would differ. */
    @Override
    public boolean putUser(String name, String password, String passwordHash, List<String> tags) {
        String hash = password != null ? PasswordHash.hash(password)
                : passwordHash == null || passwordHash.isEmpty() ? null : passwordHash;
        return bool(cluster.submitAdmin("putUser", name, hash, tags));
    }

    @Override
    public boolean deleteUser(String name) {
        return bool(cluster.submitAdmin("deleteUser", name));
    }

    @Override
    public boolean putVhost(String name) {
        return bool(cluster.submitAdmin("putVhost", name));
    }

    @Override
    public boolean setDefaultQueueType(String vhost, String type) {
        return bool(cluster.submitAdmin("setDefaultQueueType", vhost, type));
    }

    @Override
    public boolean deleteVhost(String name) {
        return bool(cluster.submitAdmin("deleteVhost", name));
    }

    @Override
    public boolean setPermission(String user, String vhost, String configure, String write, String read) {
        return bool(cluster.submitAdmin("setPermission", user, vhost, configure, write, read));
    }

    @Override
    public boolean clearPermission(String user, String vhost) {
        return bool(cluster.submitAdmin("clearPermission", user, vhost));
    }

    @Override
    public void importDefinitions(Map<String, Object> definitions) {
        cluster.submitAdmin("importDefinitions", ImportHomes.assign(definitions, cluster.nodeName(), memberNames()));
    }

    @Override
    public boolean putPolicy(String vhost, String name, String pattern, Map<String, Object> definition,
                             Object priority, String applyTo) {
        return bool(cluster.submitAdmin("putPolicy", vhost, name, pattern, definition, priority, applyTo));
    }

    @Override
    public boolean deletePolicy(String vhost, String name) {
        return bool(cluster.submitAdmin("deletePolicy", vhost, name));
    }

    private java.util.Set<String> memberNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        cluster.members().forEach(m -> names.add(m.name()));
        return names;
    }

    private static boolean bool(Object o) {
        return Boolean.TRUE.equals(o);
    }
}
