package io.warren.broker.plugin;

import io.warren.broker.model.VirtualHost;
import io.warren.plugin.ClientConnection;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open client connections of protocol plugins (MQTT), beside the broker's own AMQP connections: the
 * management API lists and closes them, connection limits count them, resource alarms reach them.
 */
public final class PluginConnections {
    /** One open plugin connection and the vhost it is in. */
    public record Open(ClientConnection connection, VirtualHost vhost) {
    }

    private final Set<Open> open = ConcurrentHashMap.newKeySet();

    void add(Open o) {
        open.add(o);
    }

    void remove(Open o) {
        open.remove(o);
    }

    public Set<Open> all() {
        return open;
    }

    /** Open plugin connections in a vhost. */
    public int count(VirtualHost v) {
        int n = 0;
        for (Open o : open) {
            if (o.vhost() == v) {
                n++;
            }
        }
        return n;
    }
}
