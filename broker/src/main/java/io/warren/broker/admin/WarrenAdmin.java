package io.warren.broker.admin;

import io.warren.broker.BrokerState;
import io.warren.broker.Version;
import io.warren.broker.alarm.MemoryMonitor;
import io.warren.broker.alarm.ResourceAlarms;
import io.warren.broker.auth.PasswordHash;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.PermissionStore;
import io.warren.broker.auth.User;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.error.AmqpException;
import io.warren.broker.error.ChannelException;
import io.warren.broker.model.Destination;
import io.warren.broker.model.Exchange;
import io.warren.broker.model.Policy;
import io.warren.broker.model.PolicyValidator;
import io.warren.broker.model.Message;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueStats;
import io.warren.broker.model.QueueEntry;
import io.warren.broker.model.Router;
import io.warren.broker.model.VirtualHost;
import io.warren.broker.net.AmqpConnection;
import io.warren.codec.AmqpConstants;
import io.warren.management.BrokerAdmin;
import io.warren.management.model.AckMode;
import io.warren.management.model.AdminException;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ChurnCounters;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.GotMessage;
import io.warren.management.model.MessageCounters;
import io.warren.management.model.NodeInfo;
import io.warren.management.model.PermissionInfo;
import io.warren.management.model.PolicyInfo;
import io.warren.management.model.QueueInfo;
import io.warren.management.model.UserInfo;
import io.warren.management.model.VhostInfo;
import io.warren.routing.Binding;
import io.warren.routing.ExchangeType;
import io.warren.storage.StoreConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.PatternSyntaxException;

/**
 * The broker as the management API sees it. Reads go through the same thread-safe entry points
 * the channels use (vhost maps, queue monitors, exchange read locks); connection state is read on
 * each connection's loop ({@link ClientSnapshots}). Actions behave as the equivalent AMQP method
 * would from a connection of its own, and broker errors come back as {@link AdminException}.
 */
public final class WarrenAdmin implements BrokerAdmin {
    private final BrokerState state;
    private final IntSupplier amqpPort;
    private final long startedAt = System.currentTimeMillis();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WarrenAdmin.class);
    private final String nodeName;

    public WarrenAdmin(BrokerState state, IntSupplier amqpPort) {
        this.state = state;
        this.amqpPort = amqpPort;
        this.nodeName = state.nodeName();
    }

    // ---- reads ------------------------------------------------------------------------------

    @Override
    public NodeInfo node() {
        BrokerConfig c = state.config();
        return new NodeInfo(nodeName, "Warren", Version.get(), nodeName, startedAt, c.bind(),
                amqpPort.getAsInt(), ProcessHandle.current().pid(), c.dataDir().toString(), MemoryMonitor.used(),
                MemoryMonitor.limit(c.memoryHighWatermark(), c.memoryHighWatermarkBytes()),
                StoreConfig.defaults(c.dataDir()).diskAlarmBytes());
    }

    @Override
    public io.warren.management.model.NodeStats nodeStats() {
        return LocalNodeStats.measure(state, node(), alarms());
    }

    @Override
    public MessageCounters counters() {
        return state.counters().snapshot();
    }

    @Override
    public ChurnCounters churn() {
        long declared = 0;
        long created = 0;
        long deleted = 0;
        for (VirtualHost v : state.vhosts()) {
            declared += v.queueChurn().declared();
            created += v.queueChurn().created();
            deleted += v.queueChurn().deleted();
        }
        return state.counters().churn(declared, created, deleted);
    }

    /** Raised resource alarms as RabbitMQ names them: "memory", "disk". */
    @Override
    public List<String> alarms() {
        List<String> out = new ArrayList<>();
        for (ResourceAlarms.Resource r : state.alarms().raised()) {
            if (r == ResourceAlarms.Resource.STORAGE) {
                continue; // a write backlog is no RabbitMQ alarm: it shows as blocked connections and in the log
            }
            out.add(r == ResourceAlarms.Resource.MEMORY ? "memory" : "disk");
        }
        return out;
    }

    @Override
    public List<VhostInfo> vhosts() {
        List<VhostInfo> out = new ArrayList<>();
        for (VirtualHost v : state.vhosts()) {
            out.add(new VhostInfo(v.name(), v.name().equals("/") ? "Default virtual host" : "", v.tracing(),
                    v.defaultQueueType()));
        }
        return out;
    }

    @Override
    public List<UserInfo> users() {
        List<UserInfo> out = new ArrayList<>();
        for (User u : state.users().all()) {
            out.add(info(u));
        }
        return out;
    }

    private static UserInfo info(User u) {
        return new UserInfo(u.name(), u.passwordHash(), u.tags().stream().sorted().toList());
    }

    /** As over AMQP: right password, and loopback-only users (guest by default) only from this host. */
    @Override
    public Optional<UserInfo> authenticate(String user, String password, boolean fromLoopback) {
        if (!fromLoopback && state.config().loopbackUsers().contains(user)) {
            return Optional.empty();
        }
        if (!state.users().authenticate(user, password.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return state.users().user(user).map(WarrenAdmin::info);
    }

    @Override
    public List<PermissionInfo> permissions() {
        List<PermissionInfo> out = new ArrayList<>();
        for (PermissionStore.Entry e : state.permissions().all()) {
            Permission p = e.permission();
            out.add(new PermissionInfo(e.user(), e.vhost(), p.configure(), p.write(), p.read()));
        }
        return out;
    }

    @Override
    public List<QueueInfo> queues() {
        List<QueueInfo> out = new ArrayList<>();
        for (VirtualHost v : state.vhosts()) {
            for (AmqpQueue q : v.queues()) {
                QueueStats s = q.stats();
                String owner = q.exclusiveOwner() instanceof AmqpConnection c && c.ctx() != null
                        ? ClientSnapshots.name(c) : null;
                out.add(new QueueInfo(v.name(), q.name(), q.durable(), q.autoDelete(), q.exclusive(),
                        AmqpValues.tableToJson(q.arguments()), s.ready(), s.unacked(), s.readyBytes(), s.consumers(),
                        s.published(), s.delivered(), owner, q.policy() == null ? null : q.policy().name(),
                        q.policy() == null ? Map.of() : q.policy().definition(), s.paged(), s.pagedBytes(),
                        q.type().argument(), s.segments(), q.managementDetails()));
            }
        }
        return out;
    }

    @Override
    public List<ExchangeInfo> exchanges() {
        List<ExchangeInfo> out = new ArrayList<>();
        for (VirtualHost v : state.vhosts()) {
            for (Exchange x : v.exchanges()) {
                out.add(new ExchangeInfo(v.name(), x.name(), x.type().wireName(), x.durable(), x.autoDelete(),
                        x.internal(), AmqpValues.tableToJson(x.arguments()),
                        x.policy() == null ? null : x.policy().name(), x.publishIn(), x.publishOut()));
            }
        }
        return out;
    }

    /** The default exchange's implicit binding to every queue comes first, as RabbitMQ lists it. */
    @Override
    public List<BindingInfo> bindings() {
        List<BindingInfo> out = new ArrayList<>();
        for (VirtualHost v : state.vhosts()) {
            for (AmqpQueue q : v.queues()) {
                out.add(new BindingInfo(v.name(), "", q.name(), "queue", q.name(), Map.of()));
            }
            for (Exchange x : v.exchanges()) {
                if (x.isDefault()) {
                    continue;
                }
                for (Binding<Destination> b : x.bindings()) {
                    String type = b.destination() instanceof AmqpQueue ? "queue" : "exchange";
                    out.add(new BindingInfo(v.name(), x.name(), b.destination().name(), type, b.bindingKey(),
                            AmqpValues.tableToJson(b.arguments())));
                }
            }
        }
        return out;
    }

    @Override
    public ClientsSnapshot clients() {
        return ClientSnapshots.take(state);
    }

    // ---- actions ----------------------------------------------------------------------------

    private VirtualHost vhost(String name) {
        VirtualHost v = state.vhost(name);
        if (v == null) {
            throw new AdminException(AmqpConstants.NOT_FOUND, "NOT_FOUND - no vhost '" + name + "'");
        }
        return v;
    }

    /** Runs a broker operation, turning its AMQP error into the API's exception. */
    private static <T> T amqp(Supplier<T> op) {
        try {
            return op.get();
        } catch (AmqpException e) {
            throw new AdminException(e.replyCode(), e.replyText());
        }
    }

    @Override
    public boolean declareQueue(String vhost, String name, boolean durable, boolean autoDelete,
                                Map<String, Object> arguments) {
        VirtualHost v = vhost(vhost);
        boolean existed = v.queue(name) != null;
        amqp(() -> v.declareQueue(name, durable, false, autoDelete, AmqpValues.tableFromJson(arguments), null));
        return !existed;
    }

    @Override
    public boolean deleteQueue(String vhost, String name, boolean ifUnused, boolean ifEmpty) {
        VirtualHost v = vhost(vhost);
        AmqpQueue q = v.queue(name);
        if (q == null) {
            return false;
        }
        amqp(() -> v.deleteQueue(q, ifUnused, ifEmpty));
        return true;
    }

    /**
     * Checks a delete's conditions on this node, for a cluster that then replicates it without them
     * (a node replaying the log at start must not delete what was refused).
     */
    public void checkQueueDeletable(String vhost, String name, boolean ifUnused, boolean ifEmpty) {
        AmqpQueue q = vhost(vhost).queue(name);
        if (q != null) {
            amqp(() -> {
                VirtualHost.checkDeletable(q, ifUnused, ifEmpty);
                return null;
            });
        }
    }

    /** As {@link #checkQueueDeletable}, for an exchange. */
    public void checkExchangeDeletable(String vhost, String name, boolean ifUnused) {
        VirtualHost v = vhost(vhost);
        amqp(() -> v.checkExchangeDeletable(name, ifUnused));
    }

    @Override
    public int purgeQueue(String vhost, String name) {
        VirtualHost v = vhost(vhost);
        return amqp(() -> v.requireQueue(name).purge());
    }

    @Override
    public boolean declareExchange(String vhost, String name, String type, boolean durable, boolean autoDelete,
                                   boolean internal, Map<String, Object> arguments) {
        VirtualHost v = vhost(vhost);
        ExchangeType t = ExchangeType.fromWireName(type).orElseThrow(() -> new AdminException(
                AmqpConstants.COMMAND_INVALID, "COMMAND_INVALID - unknown exchange type '" + type + "'"));
        boolean existed = v.exchange(name) != null;
        amqp(() -> {
            checkExchangeName(name);
            return v.declareExchange(name, t, durable, autoDelete, internal, AmqpValues.tableFromJson(arguments));
        });
        return !existed;
    }

    /**
     * Over AMQP an exchange name is a shortstr; through this API it could be longer, and every
     * message published to or dead-lettered through such an exchange would carry a name
     * basic.deliver cannot hold. RabbitMQ's words for the same check on queue names.
     */
    private static void checkExchangeName(String name) {
        if (!io.warren.codec.Wire.fitsShortStr(name)) {
            throw ChannelException.preconditionFailed("exchange should be less than 255 bytes, actually was "
                    + name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    @Override
    public boolean deleteExchange(String vhost, String name, boolean ifUnused) {
        VirtualHost v = vhost(vhost);
        boolean existed = v.exchange(name) != null;
        amqp(() -> {
            v.deleteExchange(name, ifUnused);
            return null;
        });
        return existed;
    }

    @Override
    public void bind(String vhost, String source, String destinationType, String destination, String routingKey,
                     Map<String, Object> arguments) {
        VirtualHost v = vhost(vhost);
        Map<String, Object> args = AmqpValues.tableFromJson(arguments);
        amqp(() -> {
            if (destinationType.equals("exchange")) {
                v.bindExchange(destination, source, routingKey, args);
            } else {
                v.bind(v.requireQueue(destination), source, routingKey, args);
            }
            return null;
        });
    }

    @Override
    public boolean unbind(String vhost, String source, String destinationType, String destination,
                          String routingKey, Map<String, Object> arguments) {
        VirtualHost v = vhost(vhost);
        Map<String, Object> args = AmqpValues.tableFromJson(arguments);
        amqp(() -> {
            if (destinationType.equals("exchange")) {
                v.unbindExchange(destination, source, routingKey, args);
            } else {
                v.unbind(v.requireQueue(destination), source, routingKey, args);
            }
            return null;
        });
        return true;
    }

    @Override
    public boolean publish(String vhost, String exchange, String routingKey, Map<String, Object> properties,
                           byte[] payload) {
        VirtualHost v = vhost(vhost);
        return amqp(() -> {
            Exchange x = v.requireExchange(exchange);
            // over AMQP a routing key is a shortstr; one that basic.deliver cannot carry would make the
            // message fail every delivery at the head of its queue (RabbitMQ 3.10 takes it and then does)
            if (!io.warren.codec.Wire.fitsShortStr(routingKey)) {
                throw ChannelException.preconditionFailed("routing key is longer than 255 bytes");
            }
            checkExchangeName(exchange);
            byte[] props;
            try {
                props = AmqpValues.properties(properties).encode();
            } catch (IllegalArgumentException e) { // e.g. a content_type longer than a shortstr
                throw ChannelException.preconditionFailed("invalid properties: " + e.getMessage());
            }
            Message msg = new Message(exchange, routingKey, props, payload);
            List<AmqpQueue> targets = new ArrayList<>();
            new Router().route(x, msg, targets);
            x.countPublish(targets.size());
            state.counters().published();
            for (AmqpQueue q : targets) {
                q.enqueue(msg);
            }
            if (targets.isEmpty()) {
                state.counters().unroutable(false);
            }
            return !targets.isEmpty();
        });
    }

    /**
     * Takes messages as an acking basic.get would, then settles them all: requeued (back at their
     * positions, marked redelivered) or acked, as the mode says.
     */
    @Override
    public List<GotMessage> get(String vhost, String queue, int count, AckMode mode) {
        VirtualHost v = vhost(vhost);
        return amqp(() -> {
            AmqpQueue q = v.requireQueue(queue);
            q.checkAccess(null); // an exclusive queue belongs to its connection: 405, as over AMQP
            List<QueueEntry> taken = new ArrayList<>();
            List<GotMessage> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                QueueEntry e = q.get(false);
                if (e == null) {
                    break;
                }
                taken.add(e);
                state.counters().got(false, e.redelivered());
                Message m = e.message();
                out.add(new GotMessage(m.body(), e.redelivered(), m.exchange(), m.routingKey(), q.readyCount(),
                        AmqpValues.propertiesToJson(m.properties())));
            }
            if (mode.requeue()) {
                q.requeue(taken);
            } else {
                q.settle(taken); // recorded in the store too: a durable queue must not get them back at restart
                if (mode == AckMode.ACK_REQUEUE_FALSE) {
                    state.counters().acked(taken.size());
                }
            }
            return out;
        });
    }

    // ---- users, vhosts, permissions, definitions ------------------------------------------------

    @Override
    public boolean putUser(String name, String password, String passwordHash, List<String> tags) {
        boolean existed = state.users().user(name).isPresent();
        String hash = password != null ? PasswordHash.hash(password)
                : passwordHash == null || passwordHash.isEmpty() ? null : passwordHash;
        state.users().put(new User(name, hash, new LinkedHashSet<>(tags)));
        return !existed;
    }

    @Override
    public boolean deleteUser(String name) {
        if (!state.users().delete(name)) {
            return false;
        }
        state.permissions().clearUser(name);
        return true;
    }

    @Override
    public boolean putVhost(String name) {
        boolean existed = state.vhost(name) != null;
        state.addVhost(name);
        return !existed;
    }

    @Override
    public boolean setDefaultQueueType(String vhost, String type) {
        VirtualHost v = state.vhost(vhost);
        if (v == null) {
            return false;
        }
        if (!java.util.Objects.equals(v.defaultQueueType(), type)) {
            LOG.info("Default queue type of vhost '{}' is now {}", vhost, type);
            v.setDefaultQueueType(type);
        }
        return true;
    }

    @Override
    public boolean setTracing(String vhost, boolean on) {
        VirtualHost v = state.vhost(vhost);
        if (v == null) {
            return false;
        }
        if (v.tracing() != on) {
            LOG.info("{} tracing for vhost '{}'", on ? "Enabling" : "Disabling", vhost);
        }
        v.tracing(on);
        return true;
    }

    @Override
    public boolean deleteVhost(String name) {
        return state.deleteVhost(name);
    }

    /** RabbitMQ refuses permissions for a missing user or vhost, and patterns that do not compile. */
    @Override
    public boolean setPermission(String user, String vhost, String configure, String write, String read) {
        if (state.users().user(user).isEmpty() || state.vhost(vhost) == null) {
            throw new AdminException(AmqpConstants.NOT_FOUND, "NOT_FOUND - vhost_or_user_not_found");
        }
        Permission p;
        try {
            p = new Permission(configure, write, read);
        } catch (PatternSyntaxException e) {
            throw new AdminException(AmqpConstants.PRECONDITION_FAILED, "PRECONDITION_FAILED - invalid_regexp: "
                    + e.getPattern());
        }
        boolean existed = state.permissions().get(user, vhost).isPresent();
        state.permissions().set(user, vhost, p);
        return !existed;
    }

    @Override
    public boolean clearPermission(String user, String vhost) {
        boolean existed = state.permissions().get(user, vhost).isPresent();
        state.permissions().clear(user, vhost);
        return existed;
    }

    /** The same importer the broker runs at start for {@code --definitions}. */
    @Override
    public void importDefinitions(Map<String, Object> definitions) {
        amqp(() -> {
            DefinitionsImporter.importDefinitions(state, definitions);
            return null;
        });
    }

    // ---- policies ----------------------------------------------------------------------------

    @Override
    public List<PolicyInfo> policies() {
        List<PolicyInfo> out = new ArrayList<>();
        for (VirtualHost v : state.vhosts()) {
            for (Policy p : v.policies()) {
                out.add(new PolicyInfo(v.name(), p.name(), p.pattern(), p.applyTo(), p.definition(), p.priority()));
            }
        }
        return out;
    }

    /** Validation failures are PolicyValidator.Invalid, an IllegalArgumentException with RabbitMQ's reason. */
    @Override
    public boolean putPolicy(String vhost, String name, String pattern, Map<String, Object> definition,
                             Object priority, String applyTo) {
        VirtualHost v = vhost(vhost);
        return v.putPolicy(PolicyValidator.create(vhost, name, pattern, definition, priority, applyTo));
    }

    @Override
    public boolean deletePolicy(String vhost, String name) {
        return vhost(vhost).deletePolicy(name);
    }

    @Override
    public boolean closeConnection(String name, String reason) {
        for (AmqpConnection c : state.connections()) {
            if (c.ctx() != null && ClientSnapshots.name(c).equals(name)) {
                c.closeByAdmin(reason);
                return true;
            }
        }
        for (io.warren.broker.plugin.PluginConnections.Open o : state.pluginConnections().all()) {
            if (o.connection().details().name().equals(name)) {
                o.connection().closeByOperator(reason);
                return true;
            }
        }
        return false;
    }

    @Override
    public io.warren.management.QuorumAdmin quorumQueues() {
        return new io.warren.broker.quorum.QuorumOperations(state);
    }
}
