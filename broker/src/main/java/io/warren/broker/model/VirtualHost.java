package io.warren.broker.model;

import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.warren.broker.error.ChannelException;
import io.warren.routing.ExchangeType;
import io.warren.routing.InvalidBindingException;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One virtual host: its exchanges and queues. Lookups are lock-free; topology changes (declare,
 * delete, bind) are serialised on the vhost's monitor so they see a consistent picture. Reply
 * texts follow RabbitMQ's.
 */
public final class VirtualHost {
    /** The firehose tracer's exchange (topic, durable, internal), in every vhost as in RabbitMQ. */
    public static final String TRACE_EXCHANGE = "amq.rabbitmq.trace";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final ConcurrentHashMap<String, Exchange> exchanges = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AmqpQueue> queues = new ConcurrentHashMap<>();
    private final Policies policies = new Policies();
    private volatile String defaultQueueType; // null: classic, as RabbitMQ without a default
    private final QueueTypes queueTypes = new QueueTypes();
    private volatile TopologyListener listener = TopologyListener.NONE;
    private volatile MessageStoreHook storeHook = MessageStoreHook.NONE;
    private volatile java.util.function.Consumer<AmqpQueue> replicatedDeletion; // null: standalone
    private volatile int maxConnections = -1; // vhost limits, as RabbitMQ's vhost-limits; -1 = none
    private volatile int maxQueues = -1;
    private volatile boolean tracing;         // firehose on (rabbitmqctl trace_on); not kept across restarts
    private final EventExecutorGroup loops;   // the broker's event loops: where queue timers run
    private final Set<List<String>> loggedDeadLetterCycles = ConcurrentHashMap.newKeySet();

    /** A vhost outside a running broker (tests): queue timers run on Netty's global executor. */
    public VirtualHost(String name) {
        this(name, GlobalEventExecutor.INSTANCE);
    }

    public VirtualHost(String name, EventExecutorGroup loops) {
        this.name = name;
        this.loops = loops;
        addExchange("", ExchangeType.DIRECT);
        addExchange("amq.direct", ExchangeType.DIRECT);
        addExchange("amq.fanout", ExchangeType.FANOUT);
        addExchange("amq.topic", ExchangeType.TOPIC);
        addExchange("amq.headers", ExchangeType.HEADERS);
        addExchange("amq.match", ExchangeType.HEADERS);
        exchanges.put(TRACE_EXCHANGE, new Exchange(this, TRACE_EXCHANGE, ExchangeType.TOPIC, true, false, true, Map.of()));
    }

    private void addExchange(String exchangeName, ExchangeType type) {
        exchanges.put(exchangeName, new Exchange(this, exchangeName, type, true, false, false, Map.of()));
    }

    /** The broker's event loops, for timers of queues declared off them. */
    EventExecutorGroup loops() {
        return loops;
    }

    /**
     * Whether this dead-letter cycle is new to the log (each is logged once; at most 10,000 are
     * remembered, per vhost rather than per JVM so brokers sharing a JVM stay apart).
     */
    boolean firstReportOfCycle(List<String> cycle) {
        return loggedDeadLetterCycles.size() < 10_000 && loggedDeadLetterCycles.add(cycle);
    }

    /** Whether publishes and deliveries in this vhost are copied to {@link #TRACE_EXCHANGE}. */
    public boolean tracing() {
        return tracing;
    }

    public void tracing(boolean on) {
        tracing = on;
    }

    public String name() {
        return name;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxQueues() {
        return maxQueues;
    }

    /** Sets the vhost limits (max-connections, max-queues); -1 removes one. */
    public void setLimits(int maxConnections, int maxQueues) {
        this.maxConnections = maxConnections;
        this.maxQueues = maxQueues;
        listener.vhostLimitsChanged(this);
    }

    /** The vhost's {@code default_queue_type} (classic, quorum, stream), or null when unset. */
    public String defaultQueueType() {
        return defaultQueueType;
    }

    /** Sets (null clears) the type of queues declared without {@code x-queue-type}; see {@link DefaultQueueType}. */
    public void setDefaultQueueType(String type) {
        if (type != null && !DefaultQueueType.valid(type)) {
            throw new IllegalArgumentException("unsupported queue type '" + type + "'");
        }
        this.defaultQueueType = type;
        listener.vhostLimitsChanged(this); // stored with the vhost, as its limits are
    }

    /** Which implementation each queue type gets here (the broker registers its own types at start). */
    public QueueTypes queueTypes() {
        return queueTypes;
    }

    public MessageStoreHook storeHook() {
        return storeHook;
    }

    public void setStoreHook(MessageStoreHook hook) {
        this.storeHook = hook;
    }

    /** Who hears of durable topology changes (the persistence layer); set once recovery is done. */
    public void setListener(TopologyListener listener) {
        this.listener = listener;
    }

    public Exchange exchange(String exchangeName) {
        return exchanges.get(exchangeName);
    }

    public AmqpQueue queue(String queueName) {
        return queues.get(queueName);
    }

    public Collection<AmqpQueue> queues() {
        return queues.values();
    }

    public Collection<Exchange> exchanges() {
        return exchanges.values();
    }

    /** exchange.declare passive=true: the default exchange is off limits even here (RabbitMQ: 403). */
    public Exchange declareExchangePassive(String exchangeName) {
        if (exchangeName.isEmpty()) {
            throw defaultExchangeRefused();
        }
        return requireExchange(exchangeName);
    }

    public Exchange requireExchange(String exchangeName) {
        Exchange x = exchanges.get(exchangeName);
        if (x == null) {
            throw ChannelException.noExchange(exchangeName, name);
        }
        return x;
    }

    public AmqpQueue requireQueue(String queueName) {
        AmqpQueue q = queues.get(queueName);
        if (q == null) {
            throw ChannelException.noQueue(queueName, name);
        }
        return q;
    }

    // ---- exchanges -------------------------------------------------------------------------

    public synchronized Exchange declareExchange(String exchangeName, ExchangeType type, boolean durable,
                                                 boolean autoDelete, boolean internal, Map<String, Object> args) {
        if (exchangeName.isEmpty()) {
            throw defaultExchangeRefused();
        }
        Exchange x = exchanges.get(exchangeName);
        if (x == null) {
            checkName("exchange", exchangeName);
            Object ae = args == null ? null : args.get("alternate-exchange");
            if (ae != null && !(ae instanceof String) && !(ae instanceof byte[])) {
                throw ChannelException.preconditionFailed("invalid type '" + Equivalence.typeName(ae)
                        + "' for arg 'alternate-exchange' in exchange '" + exchangeName + "' in vhost '" + name + "'");
            }
            x = new Exchange(this, exchangeName, type, durable, autoDelete, internal, args);
            x.policy(policies.match(false, exchangeName));
            exchanges.put(exchangeName, x);
            listener.exchangeAdded(this, x);
            return x;
        }
        String what = "exchange '" + exchangeName + "' in vhost '" + name + "'";
        Equivalence.value(what, "type", type.wireName(), x.type().wireName());
        Equivalence.flag(what, "durable", durable, x.durable());
        Equivalence.flag(what, "auto_delete", autoDelete, x.autoDelete());
        Equivalence.flag(what, "internal", internal, x.internal());
        Equivalence.arguments(what, Equivalence.EXCHANGE_ARGS, args, x.arguments());
        return x;
    }

    public synchronized void deleteExchange(String exchangeName, boolean ifUnused) {
        Exchange x = checkExchangeDeletable(exchangeName, ifUnused);
        if (x == null) {
            return; // RabbitMQ: deleting a missing exchange succeeds
        }
        exchanges.remove(exchangeName);
        removeBindingsTo(x);
        listener.exchangeRemoved(this, x);
    }

    /**
     * Throws what exchange.delete meets (a system exchange, or if-unused and bound); returns the
     * exchange, or null when there is none. A cluster checks here, then replicates an unconditional
     * delete, so that a node replaying the log at start cannot delete what was refused then.
     */
    public synchronized Exchange checkExchangeDeletable(String exchangeName, boolean ifUnused) {
        if (exchangeName.isEmpty()) {
            throw defaultExchangeRefused();
        }
        if (exchangeName.startsWith("amq.")) {
            throw ChannelException.accessRefused("deletion of system exchange '" + exchangeName
                    + "' in vhost '" + name + "' not allowed");
        }
        Exchange x = exchanges.get(exchangeName);
        if (x != null && ifUnused && x.hasBindings()) {
            throw ChannelException.preconditionFailed("exchange '" + exchangeName + "' in vhost '" + name + "' in use");
        }
        return x;
    }

    /** Drops every binding leading to {@code d}; auto-delete exchanges left without bindings go too. */
    private void removeBindingsTo(Destination d) {
        List<Exchange> emptied = new ArrayList<>();
        for (Exchange x : exchanges.values()) {
            if (!x.isDefault() && x.unbindAll(d) > 0 && x.autoDelete() && !x.hasBindings()) {
                emptied.add(x);
            }
        }
        for (Exchange x : emptied) {
            if (exchanges.remove(x.name(), x)) {
                removeBindingsTo(x);
                listener.exchangeRemoved(this, x);
            }
        }
    }

    // ---- queues ----------------------------------------------------------------------------

    /** Queue declarations, creations and deletions in this vhost since start (for /metrics; not per message). */
    public static final class QueueChurn {
        private final LongAdder declared = new LongAdder();
        private final LongAdder created = new LongAdder();
        private final LongAdder deleted = new LongAdder();

        public long declared() {
            return declared.sum();
        }

        public long created() {
            return created.sum();
        }

        public long deleted() {
            return deleted.sum();
        }
    }

    private final QueueChurn queueChurn = new QueueChurn();

    public QueueChurn queueChurn() {
        return queueChurn;
    }

    /** The result of queue.declare: the queue and the counts declare-ok reports. */
    public record Declared(AmqpQueue queue, int messageCount, int consumerCount) {
    }

    public Declared declareQueuePassive(String queueName, Object connection) {
        AmqpQueue q = requireQueue(queueName);
        q.checkAccess(connection);
        q.markUsed(); // x-expires: a passive declare is a use too
        return new Declared(q, q.readyCount(), q.consumerCount());
    }

    /** Declares a queue; an empty name gets a server-generated {@code amq.gen-} name. */
    public Declared declareQueue(String queueName, boolean durable, boolean exclusive, boolean autoDelete,
                                 Map<String, Object> args, Object connection) {
        boolean serverNamed = queueName.isEmpty();
        return declareQueue(serverNamed ? generateName("amq.gen-") : queueName, serverNamed, durable, exclusive,
                autoDelete, args, connection);
    }

    public synchronized Declared declareQueue(String queueName, boolean serverNamed, boolean durable, boolean exclusive,
                                              boolean autoDelete, Map<String, Object> args, Object connection) {
        queueChurn.declared.increment();
        String actual = serverNamed ? queueName : checkName("queue", queueName);
        AmqpQueue q = queues.get(actual);
        args = DefaultQueueType.apply(defaultQueueType, q, durable, exclusive, autoDelete, args);
        if (q == null) {
            if (maxQueues >= 0 && queues.size() >= maxQueues) {
                throw ChannelException.preconditionFailed("cannot declare queue '" + actual + "': queue limit in vhost '"
                        + name + "' (" + maxQueues + ") is reached");
            }
            q = queueTypes.create(this, actual, durable, exclusive, autoDelete, args, exclusive ? connection : null,
                    policies.match(true, actual));
            queues.put(actual, q);
            queueChurn.created.increment();
            listener.queueAdded(this, q);
            return new Declared(q, 0, 0);
        }
        String what = "queue '" + actual + "' in vhost '" + name + "'";
        q.checkDeclaredOwner(exclusive ? connection : null); // before the 406 checks, as RabbitMQ
        Equivalence.flag(what, "durable", durable, q.durable());
        Equivalence.flag(what, "auto_delete", autoDelete, q.autoDelete());
        Equivalence.arguments(what, Equivalence.QUEUE_ARGS, args, q.arguments());
        q.markUsed();
        return new Declared(q, q.readyCount(), q.consumerCount());
    }

    /**
     * In a cluster, how a queue that deletes itself (auto-delete, x-expires) is deleted: through
     * the cluster's log, so that it goes on every node.
     */
    public void setReplicatedDeletion(java.util.function.Consumer<AmqpQueue> deletion) {
        this.replicatedDeletion = deletion;
    }

    /** A queue deletes itself (its last consumer left, or it expired unused). */
    public void deleteUnusedQueue(AmqpQueue q, boolean ifUnused) {
        java.util.function.Consumer<AmqpQueue> replicated = replicatedDeletion;
        if (replicated == null || q.exclusive()) {
            deleteQueue(q, ifUnused, false);
        } else if (!ifUnused || q.consumerCount() == 0) {
            replicated.accept(q);
        }
    }

    /**
     * Throws what a conditional queue.delete meets (in use, not empty). A cluster checks on the node
     * that was asked, then replicates an unconditional delete: the counts differ between nodes, and a
     * node replaying the log at start must not delete a queue whose delete was refused then.
     */
    public static void checkDeletable(AmqpQueue q, boolean ifUnused, boolean ifEmpty) {
        if (ifUnused && q.consumerCount() > 0) {
            throw ChannelException.preconditionFailed(q + " in use");
        }
        if (ifEmpty && q.readyCount() > 0) {
            throw ChannelException.preconditionFailed(q + " not empty");
        }
    }

    /**
     * In a cluster: {@code replacement} takes the place of {@code old} under the same name, with its
     * bindings, without a topology change (the definition is the same; which object serves it is
     * not). {@code old} stops as a deleted queue would, but its stored definition stays, and its
     * consumers move to {@code replacement} ({@link QueueConsumer#queueReplaced}): RabbitMQ's consumers
     * of a quorum queue see nothing when their node's member is added or removed.
     */
    public void replaceQueue(AmqpQueue old, AmqpQueue replacement) {
        AmqpQueue.DeleteResult result;
        synchronized (this) {
            if (queues.get(old.name()) != old) {
                return;
            }
            for (Exchange x : exchanges.values()) {
                for (io.warren.routing.Binding<Destination> b : x.bindings()) {
                    if (b.destination() == old) {
                        x.unbind(b.bindingKey(), b.arguments(), old);
                        x.bind(b.bindingKey(), b.arguments(), replacement);
                    }
                }
            }
            queues.put(old.name(), replacement);
            result = old.markReplaced();
        }
        result.consumers().forEach(c -> c.queueReplaced(old, replacement));
    }

    /** Deletes a queue; returns the number of ready messages it held. */
    public int deleteQueue(AmqpQueue q, boolean ifUnused, boolean ifEmpty) {
        AmqpQueue.DeleteResult result;
        synchronized (this) {
            if (queues.get(q.name()) != q) {
                return 0;
            }
            checkDeletable(q, ifUnused, ifEmpty);
            queues.remove(q.name());
            queueChurn.deleted.increment();
            listener.queueRemoved(this, q);
            result = q.markDeleted();
            removeBindingsTo(q);
        }
        result.consumers().forEach(c -> c.cancelledByBroker(q));
        return result.messageCount();
    }

    // ---- policies --------------------------------------------------------------------------

    public Policy policy(String policyName) {
        return policies.get(policyName);
    }

    /** This vhost's policies by name. */
    public List<Policy> policies() {
        return policies.all();
    }

    /** Sets (adds or replaces) a policy and applies it at once; true if it is new. */
    public boolean putPolicy(Policy p) {
        List<Runnable> after;
        boolean created;
        synchronized (this) {
            created = policies.put(p) == null;
            listener.policyChanged(this, p.name(), p);
            after = reapplyPolicies();
        }
        after.forEach(Runnable::run); // dead letters of dropped heads, outside the vhost lock
        return created;
    }

    /** Clears a policy; false if there was none of that name. */
    public boolean deletePolicy(String policyName) {
        List<Runnable> after;
        synchronized (this) {
            if (policies.remove(policyName) == null) {
                return false;
            }
            listener.policyChanged(this, policyName, null);
            after = reapplyPolicies();
        }
        after.forEach(Runnable::run);
        return true;
    }

    /** Every queue and exchange takes the policy that now matches it (if that changed). */
    private List<Runnable> reapplyPolicies() {
        for (Exchange x : exchanges.values()) {
            x.policy(policies.match(false, x.name()));
        }
        List<Runnable> after = new ArrayList<>();
        for (AmqpQueue q : queues.values()) {
            Policy now = policies.match(true, q.name());
            if (now != null || q.policy() != null) { // a changed policy keeps its name: always re-apply
                after.add(q.applyPolicy(now));
            }
        }
        return after;
    }

    // ---- bindings --------------------------------------------------------------------------

    public synchronized void bind(AmqpQueue q, String exchangeName, String key, Map<String, Object> args) {
        Exchange x = bindableExchange(exchangeName);
        try {
            if (x.bind(key, args, q)) {
                listener.bindingAdded(this, x, q, key, args);
            }
        } catch (InvalidBindingException e) {
            throw ChannelException.preconditionFailed(e.getMessage());
        }
    }

    /** Like RabbitMQ, unbinding what does not exist (binding, exchange) is not an error. */
    public synchronized void unbind(AmqpQueue q, String exchangeName, String key, Map<String, Object> args) {
        if (exchangeName.isEmpty()) {
            throw defaultExchangeRefused();
        }
        Exchange x = exchanges.get(exchangeName);
        if (x == null) {
            return;
        }
        boolean removed = x.unbind(key, args, q);
        if (removed) {
            listener.bindingRemoved(this, x, q, key, args);
        }
        if (removed && x.autoDelete() && !x.hasBindings() && exchanges.remove(x.name(), x)) {
            removeBindingsTo(x);
            listener.exchangeRemoved(this, x);
        }
    }

    /** exchange.bind: messages routed by {@code source} also go through {@code destination}. */
    public synchronized void bindExchange(String destination, String source, String key, Map<String, Object> args) {
        Exchange dst = bindableExchange(destination);
        Exchange src = bindableExchange(source);
        try {
            if (src.bind(key, args, dst)) {
                listener.bindingAdded(this, src, dst, key, args);
            }
        } catch (InvalidBindingException e) {
            throw ChannelException.preconditionFailed(e.getMessage());
        }
    }

    public synchronized void unbindExchange(String destination, String source, String key, Map<String, Object> args) {
        if (destination.isEmpty() || source.isEmpty()) {
            throw defaultExchangeRefused();
        }
        Exchange dst = exchanges.get(destination);
        Exchange src = exchanges.get(source);
        if (dst == null || src == null) {
            return; // RabbitMQ: unbinding from or to a missing exchange succeeds
        }
        boolean removed = src.unbind(key, args, dst);
        if (removed) {
            listener.bindingRemoved(this, src, dst, key, args);
        }
        if (removed && src.autoDelete() && !src.hasBindings() && exchanges.remove(src.name(), src)) {
            removeBindingsTo(src);
            listener.exchangeRemoved(this, src);
        }
    }

    private Exchange bindableExchange(String exchangeName) {
        if (exchangeName.isEmpty()) {
            throw defaultExchangeRefused();
        }
        return requireExchange(exchangeName);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static ChannelException defaultExchangeRefused() {
        return ChannelException.accessRefused("operation not permitted on the default exchange");
    }

    private static String checkName(String kind, String n) {
        if (n.startsWith("amq.")) {
            throw ChannelException.accessRefused(kind + " name '" + n + "' contains reserved prefix 'amq.*'");
        }
        return n;
    }

    /** RabbitMQ-style server-generated name: prefix + 22 url-safe base64 characters. */
    public static String generateName(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
