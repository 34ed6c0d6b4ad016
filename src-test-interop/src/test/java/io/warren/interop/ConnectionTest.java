package io.warren.interop;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.SaslConfig;
import com.rabbitmq.client.SaslMechanism;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.LongStringHelper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection negotiation as amqp-client sees it: server properties, tuning, authentication, vhosts, close, heartbeats. */
class ConnectionTest extends InteropTestBase {

    static final List<String> CAPABILITIES = List.of("publisher_confirms", "exchange_exchange_bindings", "basic.nack",
            "consumer_cancel_notify", "connection.blocked", "authentication_failure_close", "per_consumer_qos",
            "direct_reply_to", "consumer_priorities");

    @Test
    void guestConnectsWithPlainAndSeesServerProperties() {
        assertTrue(conn.isOpen());
        Map<String, Object> props = conn.getServerProperties();
        for (String key : List.of("product", "version", "platform", "copyright", "information", "cluster_name")) {
            Object v = props.get(key);
            assertInstanceOf(LongString.class, v, () -> "server property " + key + " in " + props);
            assertFalse(v.toString().isEmpty(), key);
        }
        Object caps = props.get("capabilities");
        assertInstanceOf(Map.class, caps, "capabilities table");
        @SuppressWarnings("unchecked") Map<String, Object> c = (Map<String, Object>) caps;
        for (String cap : CAPABILITIES) {
            assertEquals(Boolean.TRUE, c.get(cap), () -> "capability " + cap + " in " + c);
        }
    }

    @Test
    void negotiatesRabbitMqDefaults() throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedFrameMax(0);
        f.setRequestedChannelMax(0);
        f.setRequestedHeartbeat(0);
        try (Connection c = f.newConnection()) {
            assertEquals(131072, c.getFrameMax());
            assertEquals(2047, c.getChannelMax());
            // the client asks 0 ("no opinion"); amqp-client then takes the server's 60 s
            assertEquals(60, c.getHeartbeat());
        }
    }

    @Test
    void lowerClientValuesWin() throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedFrameMax(65536);
        f.setRequestedChannelMax(100);
        f.setRequestedHeartbeat(5);
        try (Connection c = f.newConnection()) {
            assertEquals(65536, c.getFrameMax());
            assertEquals(100, c.getChannelMax());
            assertEquals(5, c.getHeartbeat());
        }
    }

    @Test
    void higherClientValuesAreCappedByTheServer() throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedFrameMax(1 << 20);
        f.setRequestedChannelMax(65535);
        f.setRequestedHeartbeat(600);
        try (Connection c = f.newConnection()) {
            assertEquals(131072, c.getFrameMax());
            assertEquals(2047, c.getChannelMax());
            assertEquals(60, c.getHeartbeat());
        }
    }

    @Test
    void wrongPasswordIsAccessRefused() {
        ConnectionFactory f = factory();
        f.setPassword("not-the-password");
        AuthenticationFailureException e = assertThrows(AuthenticationFailureException.class, f::newConnection);
        assertTrue(e.getMessage().startsWith("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN"),
                e.getMessage());
    }

    @Test
    void unknownUserIsAccessRefused() {
        ConnectionFactory f = factory();
        f.setUsername("no-such-user");
        AuthenticationFailureException e = assertThrows(AuthenticationFailureException.class, f::newConnection);
        assertTrue(e.getMessage().startsWith("ACCESS_REFUSED"), e.getMessage());
    }

    @Test
    void unknownVhostIsNotAllowed() {
        ConnectionFactory f = factory();
        f.setVirtualHost("no-such-vhost");
        IOException e = assertThrows(IOException.class, f::newConnection);
        ShutdownSignalException sse = assertInstanceOf(ShutdownSignalException.class, e.getCause());
        assertTrue(sse.isHardError());
        com.rabbitmq.client.AMQP.Connection.Close close =
                assertInstanceOf(com.rabbitmq.client.AMQP.Connection.Close.class, sse.getReason());
        assertEquals(530, close.getReplyCode());
        assertEquals("NOT_ALLOWED - vhost no-such-vhost not found", close.getReplyText());
    }

    @Test
    void explicitPlainSaslConfig() throws Exception {
        ConnectionFactory f = factory();
        f.setSaslConfig(DefaultSaslConfig.PLAIN);
        try (Connection c = f.newConnection()) {
            Channel x = c.createChannel();
            assertNotNull(x.queueDeclare().getQueue());
        }
    }

    @Test
    void amqplainMechanism() throws Exception {
        ConnectionFactory f = factory();
        f.setSaslConfig(amqplain("guest", "guest"));
        try (Connection c = f.newConnection()) {
            assertTrue(c.isOpen());
            assertTrue(c.createChannel().isOpen());
        }
        ConnectionFactory bad = factory();
        bad.setSaslConfig(amqplain("guest", "wrong"));
        AuthenticationFailureException e = assertThrows(AuthenticationFailureException.class, bad::newConnection);
        assertTrue(e.getMessage().startsWith("ACCESS_REFUSED - Login was refused using authentication mechanism AMQPLAIN"),
                e.getMessage());
    }

    @Test
    void cleanClose() throws Exception {
        Connection c = factory().newConnection();
        Channel x = c.createChannel();
        x.close();
        assertFalse(x.isOpen());
        c.close();
        assertFalse(c.isOpen());
        ShutdownSignalException reason = c.getCloseReason();
        assertTrue(reason.isInitiatedByApplication());
        assertTrue(reason.isHardError());
        // the broker is fine and the other connection is untouched
        assertTrue(conn.isOpen());
        ch.queueDeclare("", false, true, true, null);
    }

    @Test
    void closeWithCustomCodeAndText() throws Exception {
        Connection c = factory().newConnection();
        c.close(200, "bye now");
        assertFalse(c.isOpen());
    }

    @Test
    void heartbeatOfOneSecondKeepsAnIdleConnectionAlive() throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedHeartbeat(1);
        try (Connection c = f.newConnection()) {
            assertEquals(1, c.getHeartbeat());
            Channel x = c.createChannel();
            Thread.sleep(5_500);
            assertTrue(c.isOpen(), () -> "closed: " + c.getCloseReason());
            assertTrue(x.isOpen());
            assertNotNull(x.queueDeclare().getQueue());
        }
    }

    @Test
    void manyConnections() throws Exception {
        for (int i = 0; i < 20; i++) {
            Connection c = newConnection();
            c.createChannel().queueDeclare();
        }
    }

    /** AMQPLAIN: the response is a field table (without its length prefix) with LOGIN and PASSWORD. */
    static SaslConfig amqplain(String user, String password) {
        return mechanisms -> {
            for (String m : mechanisms) {
                if (m.equals("AMQPLAIN")) {
                    return new SaslMechanism() {
                        @Override
                        public String getName() {
                            return "AMQPLAIN";
                        }

                        @Override
                        public LongString handleChallenge(LongString challenge, String username, String pw) {
                            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                            try (DataOutputStream out = new DataOutputStream(bytes)) {
                                entry(out, "LOGIN", user);
                                entry(out, "PASSWORD", password);
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                            return LongStringHelper.asLongString(bytes.toByteArray());
                        }
                    };
                }
            }
            throw new AssertionError("server does not offer AMQPLAIN: " + String.join(" ", mechanisms));
        };
    }

    private static void entry(DataOutputStream out, String key, String value) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.writeByte(k.length);
        out.write(k);
        out.writeByte('S');
        out.writeInt(v.length);
        out.write(v);
    }
}
