package io.warren.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;

import java.util.ArrayDeque;

/**
 * PUBACKs in the order the PUBLISHes came (MQTT 3.1.1 4.6), although a message for durable queues is safe only
 * after its disk sync while one for transient queues is safe at once. Used on the connection's event loop.
 */
final class PubackQueue {
    private static final class Pending {
        final int packetId;
        boolean safe;

        Pending(int packetId) {
            this.packetId = packetId;
        }
    }

    private final ChannelHandlerContext ctx;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    PubackQueue(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Registers a QoS 1 publish; run the returned task once the broker holds it safely. */
    Runnable expect(int packetId) {
        Pending p = new Pending(packetId);
        pending.addLast(p);
        return () -> {
            p.safe = true;
            boolean wrote = false;
            while (!pending.isEmpty() && pending.peekFirst().safe) {
                ctx.write(MqttMessageBuilders.pubAck().packetId(pending.pollFirst().packetId).build());
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        };
    }
}
