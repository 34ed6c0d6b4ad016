package io.warren.management;

import io.warren.management.model.AckMode;
import io.warren.management.model.AdminException;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ChannelInfo;
import io.warren.management.model.ChurnCounters;
import io.warren.management.model.ClusterMemberInfo;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.ConsumerInfo;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.GotMessage;
import io.warren.management.model.ListenerInfo;
import io.warren.management.model.MessageCounters;
import io.warren.management.model.NodeInfo;
import io.warren.management.model.NodeStats;
import io.warren.management.model.PermissionInfo;
import io.warren.management.model.PolicyInfo;
import io.warren.management.model.QueueInfo;
import io.warren.management.model.UserInfo;
import io.warren.management.model.VhostInfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the management layer may know about and do to the broker. The broker implements it;
 * the management module never sees broker classes, so the dependency goes one way only.
 *
 * <p>Reads return immutable snapshots. Methods may be called from any thread and may block briefly
 * (an implementation may have to ask each connection's event loop for its state). Actions throw
 * {@link AdminException} with the AMQP reply the same operation would get over AMQP.
 */
public interface BrokerAdmin {

    // ---- reads ------------------------------------------------------------------------------

    NodeInfo node();

    MessageCounters counters();

    /** Connections, channels and queues opened and closed, and logins, since start (for /metrics). */
    default ChurnCounters churn() {
        return ChurnCounters.ZERO;
    }

    /** Active resource alarms, e.g. "memory" or "disk"; empty when none. */
    List<String> alarms();

    List<VhostInfo> vhosts();

    List<UserInfo> users();

    /**
     * The user if the password is right, else empty. {@code fromLoopback} says whether the client
     * is on this host: users the broker restricts to localhost (guest by default) are refused otherwise.
     */
    Optional<UserInfo> authenticate(String user, String password, boolean fromLoopback);

    List<PermissionInfo> permissions();

    List<QueueInfo> queues();

    List<ExchangeInfo> exchanges();

    List<BindingInfo> bindings();

    /** Connections, their channels and consumers, read together so the three agree. */
    ClientsSnapshot clients();

    /** The client side of the broker at one moment. */
    record ClientsSnapshot(List<ConnectionInfo> connections, List<ChannelInfo> channels,
                           List<ConsumerInfo> consumers) {
    }

    // ---- actions ----------------------------------------------------------------------------

    /** Declares a queue; true if it was created, false if an equivalent one existed. */
    boolean declareQueue(String vhost, String name, boolean durable, boolean autoDelete,
                         Map<String, Object> arguments);

    /** Deletes a queue; false if there was none. */
    boolean deleteQueue(String vhost, String name, boolean ifUnused, boolean ifEmpty);

    /** Drops the ready messages of a queue; returns how many. */
    int purgeQueue(String vhost, String name);

    /** Declares an exchange; true if it was created, false if an equivalent one existed. */
    boolean declareExchange(String vhost, String name, String type, boolean durable, boolean autoDelete,
                            boolean internal, Map<String, Object> arguments);

    /** Deletes an exchange; false if there was none. */
    boolean deleteExchange(String vhost, String name, boolean ifUnused);

    /** Binds a queue ({@code destinationType} "queue") or an exchange ("exchange") to a source exchange. */
    void bind(String vhost, String source, String destinationType, String destination, String routingKey,
              Map<String, Object> arguments);

    /** Removes a binding; false if there was none. */
    boolean unbind(String vhost, String source, String destinationType, String destination, String routingKey,
                   Map<String, Object> arguments);

    /**
     * Publishes one message as a client would with basic.publish.
     *
     * @param properties basic properties under RabbitMQ's JSON names (content_type, headers, delivery_mode ...)
     * @return true if it reached at least one queue
     */
    boolean publish(String vhost, String exchange, String routingKey, Map<String, Object> properties, byte[] payload);

    /** Takes up to {@code count} messages from a queue, then acks or requeues them per {@code mode}. */
    List<GotMessage> get(String vhost, String queue, int count, AckMode mode);

    /** Closes a client connection (320 CONNECTION_FORCED with the reason); false if there was none by that name. */
    boolean closeConnection(String name, String reason);

    // ---- users, vhosts, permissions, definitions (administrator actions) -----------------------

    /**
     * Creates or replaces a user; true if it was created. Give {@code password} (hashed by the broker)
     * or a RabbitMQ {@code passwordHash}; neither means no password login.
     */
    boolean putUser(String name, String password, String passwordHash, List<String> tags);

    /** Deletes a user and its permissions; false if there was none. */
    boolean deleteUser(String name);

    /** Creates a vhost; false if it existed. */
    boolean putVhost(String name);

    /**
     * Sets the type of queues declared without {@code x-queue-type} in the vhost (classic, quorum,
     * stream); false if the vhost does not exist.
     */
    default boolean setDefaultQueueType(String vhost, String type) {
        return false;
    }

    /** Deletes a vhost with everything in it (its clients are disconnected); false if there was none. */
    boolean deleteVhost(String name);

    /**
     * Turns the firehose tracer of a vhost on or off (rabbitmqctl trace_on / trace_off); false if the
     * vhost does not exist.
     */
    boolean setTracing(String vhost, boolean on);

    /** Sets a user's permissions in a vhost; true if the user had none there before. */
    boolean setPermission(String user, String vhost, String configure, String write, String read);

    /** Clears a user's permissions in a vhost; false if there were none. */
    boolean clearPermission(String user, String vhost);

    /**
     * Imports a RabbitMQ definitions document (users, vhosts, permissions, exchanges, queues,
     * bindings); parts the broker does not have yet are skipped. A malformed document is an
     * {@link IllegalArgumentException}.
     */
    void importDefinitions(Map<String, Object> definitions);

    // ---- policies (defaults: a broker without policies) ------------------------------------------

    default List<PolicyInfo> policies() {
        return List.of();
    }

    /**
     * Sets a policy; true if it was created. A missing vhost is an {@link AdminException} 404; a policy
     * RabbitMQ would refuse is an {@link IllegalArgumentException} whose message is RabbitMQ's reason.
     * {@code priority} is the JSON value the client sent (null: 0); {@code applyTo} null means "all".
     */
    default boolean putPolicy(String vhost, String name, String pattern, Map<String, Object> definition,
                              Object priority, String applyTo) {
        throw new UnsupportedOperationException("policies");
    }

    /** Clears a policy; false if there was none. */
    default boolean deletePolicy(String vhost, String name) {
        return false;
    }

    // ---- cluster (defaults: a standalone node, a cluster of one) ---------------------------------

    /** Every member of the cluster, this node included. */
    default List<ClusterMemberInfo> clusterMembers() {
        return List.of(new ClusterMemberInfo(node().name(), null, true, true));
    }

    /** This node's figures for {@code /api/nodes}, measured now. */
    default NodeStats nodeStats() {
        NodeInfo n = node();
        return NodeStats.measure(n, alarms(), clients().connections().size(),
                List.of(new ListenerInfo(n.name(), "amqp", n.amqpBind(), n.amqpPort())));
    }

    /**
     * Every member's figures in member order, this node's included; a member that is down or does not
     * answer within a short timeout is {@link NodeStats#down}. May block that long (HTTP workers only).
     */
    default List<NodeStats> clusterNodeStats() {
        return List.of(nodeStats());
    }

    /** The node that hosts a queue (null: this node, as on a standalone broker). */
    default String queueNode(String vhost, String queue) {
        return null;
    }

    /** Removes a member for good (rabbitmqctl forget_cluster_node); 404 when there is no such member. */
    default void forgetClusterNode(String name) {
        throw new AdminException(404, "NOT_FOUND - node '" + name + "' is not a member of a cluster");
    }

    /** Quorum queue membership (rabbitmq-queues' verbs); 501 where the broker has none. */
    default QuorumAdmin quorumQueues() {
        throw new AdminException(540, "NOT_IMPLEMENTED - quorum queue membership is not available here");
    }
}
