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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One MQTT session's queues, named as RabbitMQ names them ({@code mqtt-subscription-<clientid>qos0} and
 * {@code ...qos1}), their bindings to amq.topic, and the deliveries from them to the client: a QoS 1 delivery
 * holds a packet id until the client's PUBACK settles it; a QoS 0 one is settled once written. A persistent
 * session's durable queue expires after the subscription TTL without a consumer, as RabbitMQ's {@code x-expires}.
 * Used on the connection's event loop only.
 */
final class SessionQueues {
    static final String EXCHANGE = "amq.topic";

    private final ChannelHandlerContext ctx;
    private final Session session;
    private final String clientId;
    private final boolean clean;
    private final int prefetch;
    private final long subscriptionTtlMillis;
    private final Session.Subscription[] consumers = new Session.Subscription[2];
    // each queue's filters as the client gave them: amq.topic's '#' also matches '$SYS...' keys, MQTT's does not
    @SuppressWarnings("unchecked")
    private final Set<String>[] filters = new Set[]{new HashSet<String>(), new HashSet<String>()};
    private final Map<Integer, long[]> awaitingPuback = new HashMap<>(); // packet id -> {queue qos, delivery id}
    private int lastPacketId;

    /** @param subscriptionTtlMillis x-expires of a persistent session's durable queue; 0: it never expires */
    SessionQueues(ChannelHandlerContext ctx, Session session, String clientId, boolean clean, int prefetch,
                  long subscriptionTtlMillis) {
        this.ctx = ctx;
        this.session = session;
        this.clientId = clientId;
        this.clean = clean;
        this.prefetch = prefetch;
        this.subscriptionTtlMillis = subscriptionTtlMillis;
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
                for (String key : session.bindingKeys(queueName(qos), EXCHANGE)) {
                    filters[qos].add(Topics.toMqtt(key));
                }
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
        // an existing queue is taken as it is: declaring it again with another TTL than it was made with would fail
        if (!session.queueExists(name)) {
            session.declareQueue(name, durable, !durable, durable && subscriptionTtlMillis > 0
                    ? Map.of("x-expires", subscriptionTtlMillis) : Map.of());
        }
        session.bind(name, EXCHANGE, key);
        filters[qos].add(filter);
        String other = queueName(1 - qos);
        filters[1 - qos].remove(filter);
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
            filters[qos].remove(filter);
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
        String topic = Topics.toMqtt(d.routingKey());
        if (Topics.startsWithDollar(topic) && !subscribedTo(queueQos, topic)) {
            consumers[queueQos].ack(d.id()); // only a filter starting with a wildcard matched it (MQTT 4.7.2)
            return;
        }
        int packetId = 0;
        if (qos == 1) {
            packetId = nextPacketId();
            awaitingPuback.put(packetId, new long[]{queueQos, d.id()});
        }
        MqttPublishMessage m = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, qos == 1 && d.redelivered(), MqttQoS.valueOf(qos), false, 0),
                new MqttPublishVariableHeader(topic, packetId), Unpooled.wrappedBuffer(d.body()));
        ctx.writeAndFlush(m);
        if (qos == 0) {
            consumers[queueQos].ack(d.id());
        }
    }

    /** Whether a filter of the queue matches the topic by MQTT's rules. */
    private boolean subscribedTo(int queueQos, String topic) {
        for (String f : filters[queueQos]) {
            if (Topics.matches(f, topic)) {
                return true;
            }
        }
        return false;
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
