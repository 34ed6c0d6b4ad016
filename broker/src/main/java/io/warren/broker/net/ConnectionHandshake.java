package io.warren.broker.net;

import io.netty.channel.ChannelHandlerContext;
import io.warren.broker.BrokerState;
import io.warren.broker.Version;
import io.warren.broker.auth.SaslResponse;
import io.warren.broker.auth.UserStore;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * connection.start → start-ok → tune → tune-ok → open → open-ok, with RabbitMQ's negotiation rules
 * and error replies (530 on an unknown vhost, 530 on out-of-range tune values). A failed login gets
 * 403 only if the client announced authentication_failure_close; otherwise, and for an unknown
 * mechanism or a malformed response, the socket is closed without a word, as RabbitMQ does. The whole
 * handshake must finish within {@code --handshake-timeout-ms}.
 */
final class ConnectionHandshake {
    private enum Step {
        START_OK("connection.start-ok"), TUNE_OK("connection.tune-ok"), OPEN("connection.open");

        final String method;

        Step(String method) {
            this.method = method;
        }
    }

    private final AmqpConnection connection;
    private final BrokerState broker;
    private Step step = Step.START_OK;
    private String user;
    private boolean clientWantsAuthFailureClose;
    private int channelMax;
    private int frameMax;
    private int heartbeat;
    private ScheduledFuture<?> deadline;
    private boolean holdsConnectionSlot;

    ConnectionHandshake(AmqpConnection connection, BrokerState broker) {
        this.connection = connection;
        this.broker = broker;
    }

    /**
     * RabbitMQ's handshake_timeout, on the connection's own event loop: from connect to connection.open,
     * whatever the socket sends or withholds (nothing, half a header, half a handshake).
     */
    void startDeadline(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> connection.handshakeTimedOut(step.method),
                broker.config().handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** The socket closed: stop the deadline, give back the connection slot if it held one. */
    void end() {
        if (deadline != null) {
            deadline.cancel(false);
        }
        releaseConnectionSlot();
    }

    /** Gives back the slot of the node connection limit (see {@link ConnectionSlots}). */
    private void releaseConnectionSlot() {
        if (holdsConnectionSlot) {
            holdsConnectionSlot = false;
            broker.connectionSlots().release();
        }
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
            // RabbitMQ: command_invalid / a protocol error before login, never a 403, even with the capability
            connection.closeSilently(SaslResponse.isOffered(ok.mechanism())
                    ? "malformed " + ok.mechanism() + " response"
                    : "unknown authentication mechanism '" + LogText.escape(ok.mechanism()) + "'");
            return;
        }
        String who = "user '" + LogText.escape(sasl.user()) + "'";
        UserStore.Login login = broker.users().login(sasl.user(), sasl.password());
        if (login == UserStore.Login.BLANK_PASSWORD) {
            loginRefused(ok, who + " attempted to log in with a blank password, which is prohibited");
            return;
        }
        if (login != UserStore.Login.OK) {
            loginRefused(ok, who + " - invalid credentials");
            return;
        }
        if (broker.config().loopbackUsers().contains(sasl.user()) && !connection.fromLoopback()) {
            loginRefused(ok, who + " can only connect via localhost");
            return;
        }
        broker.counters().authAttempt(true);
        user = sasl.user();
        BrokerConfig c = broker.config();
        connection.write(0, new ConnectionTune(c.channelMax(), c.frameMax(), c.heartbeatSeconds()));
        step = Step.TUNE_OK;
    }

    /**
     * One log line with the real reason (RabbitMQ's "PLAIN login refused: user 'bob' - invalid
     * credentials"); the client learns only that the login failed, and only if it announced
     * authentication_failure_close: older clients cannot tell a 403 from any other close, and RabbitMQ
     * just drops their socket.
     */
    private void loginRefused(ConnectionStartOk ok, String reason) {
        broker.counters().authAttempt(false);
        String logLine = ok.mechanism() + " login refused: " + reason;
        if (clientWantsAuthFailureClose) {
            connection.refuse(AmqpConstants.ACCESS_REFUSED, "ACCESS_REFUSED - Login was refused using authentication mechanism "
                    + ok.mechanism() + ". For details see the broker logfile.", ok.classId(), ok.methodId(), logLine);
        } else {
            connection.closeSilently(logLine);
        }
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
            refuseOpen(open, "NOT_ALLOWED - vhost " + open.virtualHost() + " not found");
            return;
        }
        int nodeMax = broker.config().maxConnections();
        holdsConnectionSlot = broker.connectionSlots().tryAcquire(nodeMax);
        if (!holdsConnectionSlot) {
            refuseOpen(open, "NOT_ALLOWED - connection refused: node connection limit (" + nodeMax + ") is reached");
            return;
        }
        if (vhost.maxConnections() >= 0 && broker.openConnections(vhost) >= vhost.maxConnections()) {
            refuseOpen(open, "NOT_ALLOWED - access to vhost '" + vhost.name() + "' refused for user '" + user
                    + "': connection limit (" + vhost.maxConnections() + ") is reached");
            return;
        }
        if (broker.permissions().get(user, vhost.name()).isEmpty()) {
            refuseOpen(open, "NOT_ALLOWED - access to vhost '" + vhost.name() + "' refused for user '" + user + "'");
            return;
        }
        deadline.cancel(false);
        connection.write(0, new ConnectionOpenOk());
        connection.opened(user, vhost, channelMax, frameMax, heartbeat);
    }

    private void refuseOpen(ConnectionOpen open, String text) {
        releaseConnectionSlot(); // a refused connection must not hold a slot while it waits for close-ok
        connection.refuse(AmqpConstants.NOT_ALLOWED, text, open.classId(), open.methodId(), LogText.escape(text));
    }

    boolean clientWantsAuthFailureClose() {
        return clientWantsAuthFailureClose;
    }
}
