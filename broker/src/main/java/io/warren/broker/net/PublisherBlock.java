package io.warren.broker.net;

import io.warren.broker.alarm.ResourceAlarms;
import io.warren.codec.method.ConnectionBlocked;
import io.warren.codec.method.ConnectionUnblocked;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * RabbitMQ's connection.blocked for one connection. Like RabbitMQ, only connections that publish are blocked
 * while a resource alarm is on: they get {@code connection.blocked} (if the client announced the capability)
 * and their socket is not read until every alarm clears; consumers keep draining queues meanwhile. Used on the
 * connection's event loop only.
 */
final class PublisherBlock {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherBlock.class);

    private final AmqpConnection connection;
    private boolean published;          // has this connection ever published? (only publishers get blocked)
    private boolean blocked;            // reading paused by a resource alarm
    private boolean clientKnowsBlocked; // the client announced the connection.blocked capability

    PublisherBlock(AmqpConnection connection) {
        this.connection = connection;
    }

    boolean blocked() {
        return blocked;
    }

    void clientCapabilities(Map<?, ?> caps) {
        clientKnowsBlocked = caps != null && Boolean.TRUE.equals(caps.get("connection.blocked"));
    }

    /** An alarm went on or off; {@code open}: the connection got through connection.open. */
    void alarmsChanged(boolean on, String reason, boolean open) {
        if (on && published && !blocked && open) {
            block(reason);
        } else if (!on && blocked) {
            blocked = false;
            if (clientKnowsBlocked) {
                connection.write(0, new ConnectionUnblocked());
            }
            connection.updateAutoRead();
        }
    }

    /** Called on every publish: the first one marks this a publishing connection. */
    void publishing(ResourceAlarms alarms) {
        if (!published) { // the hot path: one field read per publish
            published = true;
            if (alarms.any()) {
                block(alarms.reason());
            }
        }
    }

    private void block(String reason) {
        blocked = true;
        LOG.info("connection {} blocked: {}", connection.remote(), reason);
        if (clientKnowsBlocked) {
            connection.write(0, new ConnectionBlocked(reason));
        }
        connection.updateAutoRead();
    }
}
