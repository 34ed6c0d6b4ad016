package io.warren.plugin;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A client connection a plugin serves, as the broker governs it: operators see it beside AMQP connections
 * (management API, metrics, warrenctl) and may close it; it counts against the node's and its vhost's
 * connection limits; it hears of resource alarms. Registered with {@link Session#open(ClientConnection)}.
 */
public interface ClientConnection {
    /** What operators see; called on any thread, so an immutable value. */
    Details details();

    /** An operator closed it (the reason is theirs); called on any thread. */
    void closeByOperator(String reason);

    /**
     * A resource alarm (memory, disk) went on or off; called on any thread. While one is on, a connection
     * that publishes stops reading its socket, as RabbitMQ blocks publishers.
     */
    void alarmsChanged(boolean on, String reason);

    /**
     * @param protocol         as RabbitMQ names it in {@code /api/connections}, e.g. {@code "MQTT 3.1.1"}
     * @param name             RabbitMQ's connection name, {@code "peerHost:peerPort -> host:port"}
     * @param heartbeatSeconds the keepalive the client asked for (0: none)
     * @param clientProperties what identifies the client, e.g. its client id
     */
    record Details(String protocol, String name, String vhost, String user, InetSocketAddress peer,
                   InetSocketAddress local, long connectedAt, int heartbeatSeconds, boolean tls,
                   Map<String, Object> clientProperties) {
    }
}
