package io.warren.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.warren.plugin.Session;

import java.util.HashMap;
import java.util.Map;

/**
 * One MQTT session's queues, named as RabbitMQ names them ({@code mqtt-subscription-<clientid>qos0} and
 * {@code ...qos1}), their bindings to amq.topic, and the deliveries from them to the client: a QoS 1 delivery
 * holds a packet id until the client's PUBACK settles it; a QoS 0 one is settled once written. Used on the
 * connection's event loop only.
 */
final class SessionQueues {
    static final String EXCHANGE = "amq.topic";

    private final ChannelHandlerContext ctx;
    private final Session session;
    private final String clientId;
    private final boolean clean;
    private final int prefetch;
    private final Session.Subscription[] consumers = new Session.Subscription[2];
    private final Map<Integer, long[]> awaitingPuback = new HashMap<>(); // packet id -> {queue qos, delivery id}
    private int lastPacketId;

    SessionQueues(ChannelHandlerContext ctx, Session session, String clientId, boolean clean, int prefetch) {
        this.ctx = ctx;
        this.session = session;
        this.clientId = clientId;
        this.clean = clean;
        this.prefetch = prefetch;
    }

    String queueName(int qos) {
        return "mqtt-subscription-" + clientId + "qos" + qos;
    }

    /** A clean session starts without what an earlier session of this client id left behind. */
    void deleteQueues() {
        session.deleteQueue(queueName(0));
        session.deleteQueue(queueName(1));
    }

    /** A persistent session resumes consuming the queues it left (their bindings are its subscriptions). */
    boolean resume() {
        boolean present = false;
        for (int qos = 0; qos <= 1; qos++) {
            if (session.queueExists(queueName(qos))) {
                consume(qos);
                present = true;
            }
        }
        return present;
    }

    /** Subscribes a filter at a QoS (0 or 1); returns the granted QoS. Moves it off the other QoS's queue. */
    int subscribe(String filter, int qos) {
        String key = Topics.toAmqp(filter);
        String name = queueName(qos);
        // QoS 1 of a persistent session is durable (and survives a restart); everything else lives with the connection
        boolean durable = qos == 1 && !clean;
        session.declareQueue(name, durable, !durable);
        session.bind(name, EXCHANGE, key);
        String other = queueName(1 - qos);
        if (session.queueExists(other)) {
            session.unbind(other, EXCHANGE, key);
        }
        consume(qos);
        return qos;
    }

    void unsubscribe(String filter) {
        String key = Topics.toAmqp(filter);
        for (int qos = 0; qos <= 1; qos++) {
            session.unbind(queueName(qos), EXCHANGE, key);
        }
    }

    private void consume(int qos) {
        if (consumers[qos] != null) {
            return;
        }
        consumers[qos] = session.consume(queueName(qos), prefetch, ctx.executor(), new Session.DeliverySink() {
            @Override
            public boolean writable() {
                return ctx.channel().isWritable();
            }

            @Override
            public void deliver(Session.Delivery d) {
                send(qos, d);
            }

            @Override
            public void cancelled() {
                consumers[qos] = null;
            }
        });
    }

    /** The delivered QoS: the subscription's, lowered to the publisher's when an MQTT client published it. */
    private void send(int queueQos, Session.Delivery d) {
        int qos = queueQos;
        Object published = d.headers() == null ? null : d.headers().get("x-mqtt-publish-qos");
        if (published instanceof Number n) {
            qos = Math.min(qos, n.intValue());
        }
        if (!ctx.channel().isActive()) {
            return; // the consumer is cancelled on close and puts it back
        }
        int packetId = 0;
        if (qos == 1) {
            packetId = nextPacketId();
            awaitingPuback.put(packetId, new long[]{queueQos, d.id()});
        }
        MqttPublishMessage m = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, qos == 1 && d.redelivered(), MqttQoS.valueOf(qos), false, 0),
                new MqttPublishVariableHeader(Topics.toMqtt(d.routingKey()), packetId), Unpooled.wrappedBuffer(d.body()));
        ctx.writeAndFlush(m);
        if (qos == 0) {
            consumers[queueQos].ack(d.id());
        }
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65535 ? 1 : lastPacketId + 1;
        } while (awaitingPuback.containsKey(lastPacketId));
        return lastPacketId;
    }

    /** The client's PUBACK settles a QoS 1 delivery. */
    void puback(int packetId) {
        long[] p = awaitingPuback.remove(packetId);
        if (p != null && consumers[(int) p[0]] != null) {
            consumers[(int) p[0]].ack(p[1]);
        }
    }

    /** The socket drained: let held-back deliveries go. */
    void writable() {
        for (Session.Subscription s : consumers) {
            if (s != null) {
                s.resume();
            }
        }
    }

    /** The connection ends: unsettled deliveries go back to their queues. */
    void close() {
        awaitingPuback.clear();
        for (int qos = 0; qos <= 1; qos++) {
            if (consumers[qos] != null) {
                consumers[qos].cancel();
                consumers[qos] = null;
            }
        }
    }
}
