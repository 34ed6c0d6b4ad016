package io.warren.broker.plugin;

import io.netty.util.concurrent.EventExecutor;
import io.warren.broker.BrokerState;
import io.warren.broker.auth.Permission;
import io.warren.broker.error.AmqpException;
import io.warren.broker.model.Exchange;
import io.warren.broker.model.Message;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.Router;
import io.warren.broker.model.VirtualHost;
import io.warren.broker.persist.MessagePersistence;
import io.warren.codec.AmqpConstants;
import io.warren.codec.BasicProperties;
import io.warren.plugin.ClientConnection;
import io.warren.plugin.PluginException;
import io.warren.plugin.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A plugin client's view of one vhost: the operations an AMQP channel offers, reduced to what a protocol
 * bridge needs, with the same permission checks (and RabbitMQ's refusal texts).
 */
final class PluginSession implements Session {
    private final BrokerState broker;
    private final VirtualHost vhost;
    private final String user;
    private final Router router = new Router();
    private PluginConnections.Open registered; // guarded by this: open() and close() may come from different threads

    PluginSession(BrokerState broker, VirtualHost vhost, String user) {
        this.broker = broker;
        this.vhost = vhost;
        this.user = user;
    }

    @Override
    public String vhost() {
        return vhost.name();
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public synchronized void open(ClientConnection connection) {
        if (registered != null) {
            throw new IllegalStateException("session already counted as a connection");
        }
        int nodeMax = broker.config().maxConnections();
        if (!broker.connectionSlots().tryAcquire(nodeMax)) {
            throw new PluginException(PluginException.Kind.NOT_ALLOWED,
                    "connection refused: node connection limit (" + nodeMax + ") is reached");
        }
        if (vhost.maxConnections() >= 0 && broker.openConnections(vhost) >= vhost.maxConnections()) {
            broker.connectionSlots().release();
            throw new PluginException(PluginException.Kind.NOT_ALLOWED, "access to vhost '" + vhost.name()
                    + "' refused for user '" + user + "': connection limit (" + vhost.maxConnections() + ") is reached");
        }
        registered = new PluginConnections.Open(connection, vhost);
        broker.pluginConnections().add(registered);
        broker.counters().connection(true);
        if (broker.alarms().any()) { // an alarm raised before this connection existed applies to it too
            connection.alarmsChanged(true, broker.alarms().reason());
        }
    }

    @Override
    public synchronized void close() {
        if (registered != null) {
            broker.pluginConnections().remove(registered);
            broker.connectionSlots().release();
            broker.counters().connection(false);
            registered = null;
        }
    }

    @Override
    public void declareQueue(String name, boolean durable, boolean autoDelete, Map<String, Object> arguments) {
        check(Permission.Kind.CONFIGURE, "queue", name);
        core(() -> vhost.declareQueue(name, false, durable, false, autoDelete, arguments, null));
    }

    @Override
    public boolean queueExists(String name) {
        return vhost.queue(name) != null;
    }

    @Override
    public void deleteQueue(String name) {
        AmqpQueue q = vhost.queue(name);
        if (q != null) {
            check(Permission.Kind.CONFIGURE, "queue", name);
            vhost.deleteQueue(q, false, false);
        }
    }

    @Override
    public void bind(String queue, String exchange, String routingKey) {
        check(Permission.Kind.WRITE, "queue", queue);
        check(Permission.Kind.READ, "exchange", exchange);
        core(() -> {
            vhost.bind(vhost.requireQueue(queue), exchange, routingKey, Map.of());
            return null;
        });
    }

    @Override
    public void unbind(String queue, String exchange, String routingKey) {
        check(Permission.Kind.WRITE, "queue", queue);
        check(Permission.Kind.READ, "exchange", exchange);
        AmqpQueue q = vhost.queue(queue);
        if (q != null) {
            core(() -> {
                vhost.unbind(q, exchange, routingKey, Map.of());
                return null;
            });
        }
    }

    @Override
    public List<String> bindingKeys(String queue, String exchange) {
        AmqpQueue q = vhost.queue(queue);
        Exchange x = vhost.exchange(exchange);
        List<String> keys = new ArrayList<>();
        if (q != null && x != null) {
            for (io.warren.routing.Binding<io.warren.broker.model.Destination> b : x.bindings()) {
                if (b.destination() == q) {
                    keys.add(b.bindingKey());
                }
            }
        }
        return keys;
    }

    @Override
    public int publish(String exchange, String routingKey, boolean persistent, Map<String, Object> headers, byte[] body,
                       EventExecutor executor, Runnable onSafe) {
        check(Permission.Kind.WRITE, "exchange", exchange);
        Exchange x = core(() -> vhost.requireExchange(exchange));
        BasicProperties props = BasicProperties.EMPTY.withHeaders(headers == null || headers.isEmpty() ? null : headers)
                .withDeliveryMode(persistent ? 2 : 1);
        Message msg = new Message(exchange, routingKey, props.encode(), body);
        List<AmqpQueue> targets = new ArrayList<>(2);
        router.route(x, msg, targets);
        broker.counters().published();
        MessagePersistence persistence = broker.messagePersistence();
        boolean stored = persistence != null && persistence.store(msg, targets, executor, (location, failure) -> onSafe.run());
        for (AmqpQueue q : targets) {
            q.enqueue(msg);
        }
        if (targets.isEmpty()) {
            broker.counters().unroutable(false);
        }
        if (!stored) {
            executor.execute(onSafe);
        }
        return targets.size();
    }

    @Override
    public Subscription consume(String queue, int prefetch, EventExecutor executor, DeliverySink sink) {
        check(Permission.Kind.READ, "queue", queue);
        AmqpQueue q = core(() -> vhost.requireQueue(queue));
        PluginConsumer c = new PluginConsumer(q, prefetch, executor, sink);
        core(() -> {
            q.addConsumer(c);
            return null;
        });
        q.dispatch();
        return c;
    }

    private void check(Permission.Kind kind, String type, String name) {
        Permission p = broker.permissions().get(user, vhost.name()).orElse(null);
        if (p == null || !p.allows(kind, name)) {
            throw new PluginException(PluginException.Kind.ACCESS_REFUSED, "access to " + type + " '" + name
                    + "' in vhost '" + vhost.name() + "' refused for user '" + user + "'");
        }
    }

    /** Runs a core operation, turning its AMQP error into the plugin's kind of refusal. */
    private static <T> T core(Supplier<T> op) {
        try {
            return op.get();
        } catch (AmqpException e) {
            PluginException.Kind kind = switch (e.replyCode()) {
                case AmqpConstants.NOT_FOUND -> PluginException.Kind.NOT_FOUND;
                case AmqpConstants.ACCESS_REFUSED -> PluginException.Kind.ACCESS_REFUSED;
                default -> PluginException.Kind.PRECONDITION_FAILED;
            };
            throw new PluginException(kind, e.replyText());
        }
    }
}
