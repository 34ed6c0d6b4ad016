package io.warren.mqtt;

import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resource alarms for one MQTT connection, as RabbitMQ blocks AMQP publishers: once the connection has published,
 * a raised memory or disk alarm stops reading its socket until every alarm clears (MQTT has no blocked notice,
 * the client's writes just back up). Connections that only subscribe keep being read, so queues still drain.
 * While blocked the keepalive is not enforced: the client's PINGREQs wait unread in the socket. Used on the
 * connection's event loop only.
 */
final class PublisherGate {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherGate.class);

    private final ChannelHandlerContext ctx;
    private boolean published;  // only publishers are blocked
    private boolean alarmOn;
    private String reason = "";
    private boolean blocked;

    PublisherGate(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    boolean blocked() {
        return blocked;
    }

    /** An alarm went on or off. */
    void alarm(boolean on, String why) {
        alarmOn = on;
        reason = why;
        if (on && published && !blocked) {
            block();
        } else if (!on && blocked) {
            blocked = false;
            LOG.info("MQTT connection from {} unblocked", ctx.channel().remoteAddress());
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    /** Called on every PUBLISH: the first one makes this a publisher, which an alarm already on blocks at once. */
    void publishing() {
        if (!published) {
            published = true;
            if (alarmOn) {
                block();
            }
        }
    }

    private void block() {
        blocked = true;
        LOG.info("MQTT connection from {} blocked: {}", ctx.channel().remoteAddress(), reason);
        ctx.channel().config().setAutoRead(false);
    }
}
