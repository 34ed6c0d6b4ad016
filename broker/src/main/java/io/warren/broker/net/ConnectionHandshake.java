package io.warren.broker.net;

import io.warren.broker.BrokerState;
import io.warren.broker.Version;
import io.warren.broker.auth.SaslResponse;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.error.ConnectionException;
import io.warren.broker.model.VirtualHost;
import io.warren.codec.AmqpConstants;
import io.warren.codec.Frame;
import io.warren.codec.HeartbeatFrame;
import io.warren.codec.MethodFrame;
import io.warren.codec.method.AmqpMethod;
import io.warren.codec.method.ConnectionClose;
import io.warren.codec.method.ConnectionOpen;
import io.warren.codec.method.ConnectionOpenOk;
import io.warren.codec.method.ConnectionStart;
import io.warren.codec.method.ConnectionStartOk;
import io.warren.codec.method.ConnectionTune;
import io.warren.codec.method.ConnectionTuneOk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * connection.start → start-ok → tune → tune-ok → open → open-ok, with RabbitMQ's negotiation rules
 * and error replies (403 on bad credentials, 530 on an unknown vhost, 530 on out-of-range tune values).
 */
final class ConnectionHandshake {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConnectionHandshake.class);
    private enum Step { START_OK, TUNE_OK, OPEN }

    private final AmqpConnection connection;
    private final BrokerState broker;
    private Step step = Step.START_OK;
    private String user;
    private boolean clientWantsAuthFailureClose;
    private int channelMax;
    private int frameMax;
    private int heartbeat;

    ConnectionHandshake(AmqpConnection connection, BrokerState broker) {
        this.connection = connection;
        this.broker = broker;
    }

    void sendStart() {
        connection.write(0, new ConnectionStart(0, 9, serverProperties(broker.nodeName()), SaslResponse.MECHANISMS, "en_US"));
    }

    static Map<String, Object> serverProperties(String nodeName) {
        Map<String, Object> caps = new LinkedHashMap<>();
        for (String c : new String[]{"publisher_confirms", "exchange_exchange_bindings", "basic.nack",
                "consumer_cancel_notify", "connection.blocked", "consumer_priorities",
                "authentication_failure_close", "per_consumer_qos", "direct_reply_to"}) {
            caps.put(c, Boolean.TRUE);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("capabilities", caps);
        p.put("cluster_name", nodeName);
        p.put("copyright", "Copyright (c) the Warren authors");
        p.put("information", "Warren, an AMQP 0-9-1 broker for the JVM");
        p.put("platform", "Java " + Runtime.version().feature());
        p.put("product", "Warren");
        p.put("version", Version.get());
        return p;
    }

    void handle(Frame frame) {
        if (frame instanceof HeartbeatFrame) {
            return;
        }
        if (!(frame instanceof MethodFrame mf) || frame.channel() != 0) {
            throw ConnectionException.unexpectedFrame("expected a connection method on channel 0 during the handshake");
        }
        AmqpMethod m = mf.method();
        if (m instanceof ConnectionClose) {
            connection.write(0, new io.warren.codec.method.ConnectionCloseOk());
            connection.ctx().flush();
            connection.ctx().close();
            return;
        }
        switch (step) {
            case START_OK -> startOk(expect(m, ConnectionStartOk.class, "connection.start-ok"));
            case TUNE_OK -> tuneOk(expect(m, ConnectionTuneOk.class, "connection.tune-ok"));
            case OPEN -> open(expect(m, ConnectionOpen.class, "connection.open"));
            default -> throw new IllegalStateException(step.name());
        }
    }

    private static <T> T expect(AmqpMethod m, Class<T> type, String name) {
        if (!type.isInstance(m)) {
            throw ConnectionException.commandInvalid("expected " + name + ", got " + m.name());
        }
        return type.cast(m);
    }

    private void startOk(ConnectionStartOk ok) {
        Object caps = ok.clientProperties().get("capabilities");
        clientWantsAuthFailureClose = caps instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("authentication_failure_close"));
        connection.clientCapabilities(caps instanceof Map<?, ?> m ? m : null);
        connection.clientInfo(ok.clientProperties(), ok.mechanism());
        SaslResponse sasl = SaslResponse.parse(ok.mechanism(), ok.response());
        if (sasl == null) {
            refuse("ACCESS_REFUSED - " + (SaslResponse.MECHANISMS.contains(ok.mechanism())
                    ? "malformed " + ok.mechanism() + " response"
                    : "unsupported authentication mechanism '" + ok.mechanism() + "'"), ok);
            return;
        }
        if (!broker.users().authenticate(sasl.user(), sasl.password())) {
            refuse("ACCESS_REFUSED - Login was refused using authentication mechanism " + ok.mechanism()
                    + ". For details see the broker logfile.", ok);
            return;
        }
        if (broker.config().loopbackUsers().contains(sasl.user()) && !connection.fromLoopback()) {
            LOG.warn("user '{}' can only connect via localhost", sasl.user());
            refuse("ACCESS_REFUSED - Login was refused using authentication mechanism " + ok.mechanism()
                    + ". For details see the broker logfile.", ok);
            return;
        }
        user = sasl.user();
        BrokerConfig c = broker.config();
        connection.write(0, new ConnectionTune(c.channelMax(), c.frameMax(), c.heartbeatSeconds()));
        step = Step.TUNE_OK;
    }

    private void refuse(String text, AmqpMethod cause) {
        // RabbitMQ closes with 403 only for clients announcing authentication_failure_close; older
        // clients just see the socket close. Sending the close either way is harmless and clearer.
        connection.refuse(AmqpConstants.ACCESS_REFUSED, text, cause.classId(), cause.methodId());
    }

    private void tuneOk(ConnectionTuneOk ok) {
        BrokerConfig c = broker.config();
        channelMax = negotiated("channel_max", ok.channelMax(), 0, c.channelMax());
        frameMax = negotiated("frame_max", ok.frameMax(), AmqpConstants.FRAME_MIN_SIZE, c.frameMax());
        heartbeat = ok.heartbeat();
        connection.tuned(frameMax);
        step = Step.OPEN;
    }

    /** rabbit_reader's validate_negotiated_integer_value, with its error text. */
    private static int negotiated(String field, int clientValue, int min, int serverValue) {
        if (clientValue != 0 && Integer.compareUnsigned(clientValue, min) < 0) {
            throw ConnectionException.notAllowed("negotiated " + field + " = " + Integer.toUnsignedLong(clientValue)
                    + " is lower than the minimum allowed value (" + min + ")");
        }
        if (serverValue != 0 && (clientValue == 0 || Integer.compareUnsigned(clientValue, serverValue) > 0)) {
            throw ConnectionException.notAllowed("negotiated " + field + " = " + Integer.toUnsignedLong(clientValue)
                    + " is higher than the maximum allowed value (" + serverValue + ")");
        }
        return clientValue;
    }

    private void open(ConnectionOpen open) {
        VirtualHost vhost = broker.vhost(open.virtualHost());
        if (vhost == null) {
            connection.refuse(AmqpConstants.NOT_ALLOWED, "NOT_ALLOWED - vhost " + open.virtualHost() + " not found",
                    open.classId(), open.methodId());
            return;
        }
        int nodeMax = broker.config().maxConnections();
        if (nodeMax > 0 && broker.connections().size() > nodeMax) {
            connection.refuse(AmqpConstants.NOT_ALLOWED, "NOT_ALLOWED - connection refused: node connection limit ("
                    + nodeMax + ") is reached", open.classId(), open.methodId());
            return;
        }
        if (vhost.maxConnections() >= 0 && broker.openConnections(vhost) >= vhost.maxConnections()) {
            connection.refuse(AmqpConstants.NOT_ALLOWED, "NOT_ALLOWED - access to vhost '" + vhost.name()
                    + "' refused for user '" + user + "': connection limit (" + vhost.maxConnections() + ") is reached",
                    open.classId(), open.methodId());
            return;
        }
        if (broker.permissions().get(user, vhost.name()).isEmpty()) {
            connection.refuse(AmqpConstants.NOT_ALLOWED, "NOT_ALLOWED - access to vhost '" + vhost.name()
                    + "' refused for user '" + user + "'", open.classId(), open.methodId());
            return;
        }
        connection.write(0, new ConnectionOpenOk());
        connection.opened(user, vhost, channelMax, frameMax, heartbeat);
    }

    boolean clientWantsAuthFailureClose() {
        return clientWantsAuthFailureClose;
    }
}
