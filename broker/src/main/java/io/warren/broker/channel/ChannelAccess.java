package io.warren.broker.channel;

import io.warren.broker.auth.Permission;
import io.warren.broker.error.ChannelException;
import io.warren.broker.net.AmqpConnection;

import java.util.HashMap;
import java.util.Map;

/**
 * Enforces the user's configure / write / read permissions on one channel, with RabbitMQ's 403
 * text. Publishing checks write on every message, so allowed exchange names are cached until the
 * user's permission entry changes.
 */
final class ChannelAccess {
    private final AmqpConnection connection;
    private Permission cachedFor;
    private final Map<String, Boolean> writeCache = new HashMap<>();

    ChannelAccess(AmqpConnection connection) {
        this.connection = connection;
    }

    void configureQueue(String name) {
        check(Permission.Kind.CONFIGURE, "queue", name);
    }

    void configureExchange(String name) {
        check(Permission.Kind.CONFIGURE, "exchange", name);
    }

    void writeQueue(String name) {
        check(Permission.Kind.WRITE, "queue", name);
    }

    void readQueue(String name) {
        check(Permission.Kind.READ, "queue", name);
    }

    void readExchange(String name) {
        check(Permission.Kind.READ, "exchange", name);
    }

    void writeExchange(String name) {
        check(Permission.Kind.WRITE, "exchange", name);
    }

    /**
     * The publish hot path: write on the exchange, cached per exchange name. The default exchange
     * is named {@code amq.default} in permission patterns, as in RabbitMQ.
     */
    void publishTo(String exchangeName) {
        String exchange = exchangeName.isEmpty() ? "amq.default" : exchangeName;
        Permission p = current();
        if (p != cachedFor) {
            writeCache.clear();
            cachedFor = p;
        }
        Boolean ok = writeCache.get(exchange);
        if (ok == null) {
            ok = p != null && p.allows(Permission.Kind.WRITE, exchange);
            if (writeCache.size() > 1024) {
                writeCache.clear();
            }
            writeCache.put(exchange, ok);
        }
        if (!ok) {
            throw refused("exchange", exchange);
        }
    }

    private void check(Permission.Kind kind, String type, String name) {
        Permission p = current();
        if (p == null || !p.allows(kind, name)) {
            throw refused(type, name);
        }
    }

    private Permission current() {
        return connection.broker().permissions().get(connection.user(), connection.vhost().name()).orElse(null);
    }

    private ChannelException refused(String type, String name) {
        return ChannelException.accessRefused("access to " + type + " '" + name + "' in vhost '"
                + connection.vhost().name() + "' refused for user '" + connection.user() + "'");
    }
}
