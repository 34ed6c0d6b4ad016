package io.warren.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.warren.plugin.MessagingCore;
import io.warren.plugin.PluginException;
import io.warren.plugin.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT client connection, on its event loop: CONNECT (login, client-id takeover, session queues), PUBLISH
 * into amq.topic, SUBSCRIBE / UNSUBSCRIBE as bindings, PUBACK, PINGREQ, DISCONNECT, keepalive and the will.
 * Anything the protocol does not allow closes the connection with one log line.
 */
final class MqttConnection extends SimpleChannelInboundHandler<MqttMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    private static final Runnable NOTHING = () -> { };

    private final MqttSettings settings;
    private final MessagingCore core;
    private final ClientRegistry clients;
    private final RetainedStore retained;

    private ChannelHandlerContext ctx;
    private PubackQueue pubacks;
    private PublisherGate gate;
    private ScheduledFuture<?> connectTimeout;
    private Session session;
    private String clientId;
    private boolean clean;
    private SessionQueues queues;
    private Will will;
    private boolean disconnected;   // DISCONNECT received: no will
    private volatile boolean takenOver;

    private record Will(String topic, int qos, boolean retain, byte[] payload) {
    }

    MqttConnection(MqttSettings settings, MessagingCore core, ClientRegistry clients, RetainedStore retained) {
        this.settings = settings;
        this.core = core;
        this.clients = clients;
        this.retained = retained;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        this.pubacks = new PubackQueue(ctx);
        this.gate = new PublisherGate(ctx);
        // a socket that never sends CONNECT is closed, as RabbitMQ's handshake timeout does
        connectTimeout = ctx.executor().schedule(() -> {
            if (session == null) {
                LOG.info("closing MQTT connection from {}: no CONNECT within {} ms", remote(), settings.connectTimeoutMillis());
                ctx.close();
            }
        }, settings.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            refuseBadPacket(msg.decoderResult().cause());
            return;
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        try {
            switch (msg.fixedHeader().messageType()) {
                case CONNECT -> connect((MqttConnectMessage) msg);
                case PUBLISH -> {
                    requireSession("PUBLISH");
                    publish((MqttPublishMessage) msg);
                }
                case PUBACK -> {
                    requireSession("PUBACK");
                    queues.puback(((MqttPubAckMessage) msg).variableHeader().messageId());
                }
                case SUBSCRIBE -> {
                    requireSession("SUBSCRIBE");
                    subscribe((MqttSubscribeMessage) msg);
                }
                case UNSUBSCRIBE -> {
                    requireSession("UNSUBSCRIBE");
                    unsubscribe((MqttUnsubscribeMessage) msg);
                }
                case PINGREQ -> {
                    requireSession("PINGREQ");
                    ctx.writeAndFlush(MqttMessage.PINGRESP);
                }
                case DISCONNECT -> {
                    disconnected = true;
                    ctx.close();
                }
                default -> throw new ProtocolViolation("unexpected " + msg.fixedHeader().messageType() + " packet");
            }
        } catch (ProtocolViolation e) {
            LOG.warn("closing MQTT connection {}: {}", who(), e.getMessage());
            ctx.close();
        } catch (PluginException e) {
            LOG.warn("closing MQTT connection {}: {}", who(), e.getMessage());
            ctx.close();
        }
    }

    /** Malformed, oversized or refused-at-decode packets: the right CONNACK where MQTT has one, then close. */
    private void refuseBadPacket(Throwable cause) {
        if (cause instanceof MqttUnacceptableProtocolVersionException && session == null) {
            LOG.warn("MQTT connection from {} refused: unacceptable protocol version", remote());
            connackAndClose(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        } else if (cause instanceof MqttIdentifierRejectedException && session == null) {
            LOG.warn("MQTT connection from {} refused: client id rejected", remote());
            connackAndClose(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        } else {
            String why = cause instanceof TooLongFrameException ? "packet larger than the maximum of "
                    + settings.maxPacketSize() + " bytes" : "malformed packet: " + cause.getMessage();
            LOG.warn("closing MQTT connection {}: {}", who(), why);
            ctx.close();
        }
    }

    private void requireSession(String what) {
        if (session == null) {
            throw new ProtocolViolation(what + " before CONNECT");
        }
    }

    private void connect(MqttConnectMessage m) {
        if (session != null) {
            throw new ProtocolViolation("a second CONNECT on one connection");
        }
        connectTimeout.cancel(false);
        String id = m.payload().clientIdentifier();
        clean = m.variableHeader().isCleanSession();
        if (id == null || id.isEmpty()) {
            if (!clean) { // MQTT 3.1.1 3.1.3-8: a persistent session needs an id to be found again
                LOG.warn("MQTT connection from {} refused: empty client id with clean_session=0", remote());
                connackAndClose(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
                return;
            }
            id = "warren-mqtt-" + UUID.randomUUID();
        }
        String vhost = settings.vhost();
        String user = m.variableHeader().hasUserName() ? m.payload().userName() : null;
        byte[] password = m.variableHeader().hasPassword() ? m.payload().passwordInBytes() : new byte[0];
        if (user == null) { // RabbitMQ's mqtt.allow_anonymous with its default_user / default_pass
            user = settings.anonymousUser();
            password = settings.anonymousPassword().getBytes(StandardCharsets.UTF_8);
        } else if (user.indexOf(':') > 0) { // "vhost:user", as RabbitMQ allows
            vhost = user.substring(0, user.indexOf(':'));
            user = user.substring(user.indexOf(':') + 1);
        }
        int keepAlive = m.variableHeader().keepAliveTimeSeconds();
        try {
            Session s = core.login(vhost, user, password, ctx.channel().remoteAddress());
            // counted against the connection limits, listed for operators, reached by resource alarms
            s.open(new OperatorView(ctx, gate, m.variableHeader().version(), id, s.vhost(), s.user(), keepAlive,
                    ctx.pipeline().get("tls") != null));
            session = s;
        } catch (PluginException e) {
            LOG.warn("MQTT login refused from {} (client id '{}'): {}", remote(), id, e.getMessage());
            connackAndClose(e.kind() == PluginException.Kind.NOT_ALLOWED
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
            return;
        }
        clientId = id;
        if (m.variableHeader().isWillFlag()) {
            will = new Will(m.payload().willTopic(), Math.min(1, m.variableHeader().willQos()),
                    m.variableHeader().isWillRetain(), m.payload().willMessageInBytes());
        }
        MqttConnection previous = clients.register(session.vhost(), clientId, this);
        if (previous != null) {
            previous.takeOver();
        }
        queues = new SessionQueues(ctx, session, clientId, clean, settings.prefetch(), settings.subscriptionTtlMillis());
        boolean present = false;
        if (clean) {
            queues.deleteQueues();
        } else {
            present = queues.resume();
        }
        if (keepAlive > 0) { // MQTT 3.1.1 3.1.2.10: one and a half times the keep alive without a packet
            ctx.pipeline().addBefore(ctx.name(), "keepalive",
                    new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(present).build());
    }

    /** Another connection connected with this client id: this one goes (on its own loop). */
    private void takeOver() {
        takenOver = true;
        ctx.executor().execute(() -> {
            LOG.info("MQTT client id '{}' connected again from elsewhere: closing its connection from {}", clientId, remote());
            ctx.close();
        });
    }

    private void publish(MqttPublishMessage m) {
        String topic = m.variableHeader().topicName();
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new ProtocolViolation("PUBLISH to invalid topic name '" + topic + "'");
        }
        gate.publishing();
        // QoS 2 is taken as QoS 1 (acknowledged with PUBACK), as RabbitMQ 3.10's plugin does
        int qos = Math.min(1, m.fixedHeader().qosLevel().value());
        byte[] body = ByteBufUtil.getBytes(m.payload());
        int packetId = m.variableHeader().packetId();
        publish(topic, qos, m.fixedHeader().isRetain(), m.fixedHeader().isDup(), body,
                qos == 1 ? pubacks.expect(packetId) : NOTHING);
    }

    private void publish(String topic, int qos, boolean retain, boolean dup, byte[] body, Runnable onSafe) {
        if (retain) {
            retained.put(session.vhost(), topic, qos, body);
        }
        // the headers RabbitMQ's plugin sets, so AMQP consumers (and MQTT subscribers) see the publisher's QoS
        Map<String, Object> headers = Map.of("x-mqtt-publish-qos", (byte) qos, "x-mqtt-dup", dup);
        session.publish(SessionQueues.EXCHANGE, Topics.toAmqp(topic), qos == 1, headers, body, ctx.executor(), onSafe);
    }

    private void subscribe(MqttSubscribeMessage m) {
        List<Integer> granted = new ArrayList<>();
        List<MqttTopicSubscription> accepted = new ArrayList<>();
        for (MqttTopicSubscription s : m.payload().topicSubscriptions()) {
            try {
                // a QoS 2 subscription is granted QoS 1, as RabbitMQ grants it
                granted.add(queues.subscribe(s.topicName(), Math.min(1, s.qualityOfService().value())));
                accepted.add(s);
            } catch (PluginException e) {
                LOG.warn("MQTT subscription to '{}' by client id '{}' refused: {}", s.topicName(), clientId, e.getMessage());
                granted.add(0x80);
            }
        }
        MqttSubAckMessage ack = MqttMessageBuilders.subAck().packetId(m.variableHeader().messageId())
                .addGrantedQoses(granted.stream().map(q -> q == 0x80 ? io.netty.handler.codec.mqtt.MqttQoS.FAILURE
                        : io.netty.handler.codec.mqtt.MqttQoS.valueOf(q)).toArray(io.netty.handler.codec.mqtt.MqttQoS[]::new))
                .build();
        ctx.writeAndFlush(ack);
        for (int i = 0; i < accepted.size(); i++) {
            sendRetained(accepted.get(i).topicName(), Math.min(1, accepted.get(i).qualityOfService().value()));
        }
    }

    /** Retained messages go straight to the new subscriber, flagged retained, at QoS 0 (nothing to settle). */
    private void sendRetained(String filter, int qos) {
        for (RetainedStore.Retained r : retained.matching(session.vhost(), filter)) {
            ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(r.topic()).retained(true)
                    .qos(io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE)
                    .payload(io.netty.buffer.Unpooled.wrappedBuffer(r.payload())).build());
        }
    }

    private void unsubscribe(MqttUnsubscribeMessage m) {
        for (String filter : m.payload().topics()) {
            queues.unsubscribe(filter);
        }
        ctx.writeAndFlush(MqttMessageBuilders.unsubAck().packetId(m.variableHeader().messageId()).build());
    }

    private void connackAndClose(MqttConnectReturnCode code) {
        MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        ctx.writeAndFlush(ack).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (gate.blocked()) {
                return; // not reading it is the broker's doing, as RabbitMQ pauses its keepalive check meanwhile
            }
            LOG.info("closing MQTT connection {}: no packet within 1.5 times the keepalive", who());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable() && queues != null) {
            queues.writable();
        }
        super.channelWritabilityChanged(ctx);
    }

    /** The end of the connection: the will on an abnormal end, unsettled deliveries back, a clean session's queues gone. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        if (session != null) {
            try {
                endSession();
            } finally {
                session.close(); // the connection slot comes free whatever went wrong above
            }
        }
        super.channelInactive(ctx);
    }

    private void endSession() {
        try {
            if (!disconnected && will != null) {
                publish(will.topic(), will.qos(), will.retain(), false, will.payload(), NOTHING);
            }
        } catch (PluginException e) {
            LOG.warn("the will of MQTT client id '{}' was not published: {}", clientId, e.getMessage());
        }
        queues.close();
        boolean stillOwner = clients.unregister(session.vhost(), clientId, this);
        if (clean && stillOwner && !takenOver) {
            try {
                queues.deleteQueues();
            } catch (PluginException e) {
                LOG.warn("queues of MQTT client id '{}' not deleted: {}", clientId, e.getMessage());
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("closing MQTT connection {}: {}", who(), cause.toString());
        ctx.close();
    }

    /** "from /1.2.3.4:5 (client id 'x')" for log lines. */
    private String who() {
        return "from " + remote() + (clientId == null ? " (before CONNECT)" : " (client id '" + clientId + "')");
    }

    private String remote() {
        return String.valueOf(ctx.channel().remoteAddress());
    }

    /** Something MQTT does not allow at this point: the connection closes. */
    private static final class ProtocolViolation extends RuntimeException {
        ProtocolViolation(String message) {
            super(message, null, false, false);
        }
    }
}
