package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Durability across a restart and a kill -9 (the storage issue): durable topology, persistent messages, unacked
 * messages coming back redelivered. Warren only: these need a process of their own, so the class is skipped
 * against an external broker ({@code -Dwarren.test.port}).
 */
@Timeout(120)
class DurabilityTest {

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated();

    private Connection conn;

    @BeforeEach
    void ensureRunning() throws IOException {
        assumeFalse(WarrenBroker.external(), "needs a broker process of its own; skipped with -Dwarren.test.port");
        if (!broker.isRunning()) {
            broker.start();
        }
    }

    @AfterEach
    void close() {
        if (conn != null && conn.isOpen()) {
            conn.abort(1_000);
        }
    }

    private ConnectionFactory factory() {
        return broker.connectionFactory();
    }

    @Test
    void durableTopologyAndPersistentMessagesSurviveARestart() throws Exception {
        String x = "lifecycle.x";
        String durableQ = "lifecycle.durable";
        String transientQ = "lifecycle.transient";
        conn = factory().newConnection();
        Channel ch = conn.createChannel();
        ch.exchangeDeclare(x, "direct", true);
        ch.queueDeclare(durableQ, true, false, false, null);
        ch.queueDeclare(transientQ, false, false, false, null);
        ch.queueBind(durableQ, x, "k");
        ch.confirmSelect();
        ch.basicPublish(x, "k", MessageProperties.PERSISTENT_TEXT_PLAIN, "persistent".getBytes(StandardCharsets.UTF_8));
        ch.basicPublish(x, "k", MessageProperties.TEXT_PLAIN, "transient".getBytes(StandardCharsets.UTF_8));
        ch.basicPublish("", transientQ, MessageProperties.PERSISTENT_TEXT_PLAIN, "lost".getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(10_000);
        conn.close();

        broker.restart();

        conn = factory().newConnection();
        Channel c2 = conn.createChannel();
        c2.exchangeDeclarePassive(x);
        assertEquals(1, c2.queueDeclarePassive(durableQ).getMessageCount(), "only the persistent message survives");
        GetResponse r = c2.basicGet(durableQ, true);
        assertNotNull(r);
        assertEquals("persistent", new String(r.getBody(), StandardCharsets.UTF_8));
        assertEquals(2, r.getProps().getDeliveryMode());
        // the binding survived too
        c2.basicPublish(x, "k", null, "again".getBytes(StandardCharsets.UTF_8));
        c2.queueDeclarePassive(durableQ);
        assertEquals(1, c2.messageCount(durableQ));
        // the transient queue did not
        try {
            c2.queueDeclarePassive(transientQ);
            throw new AssertionError("a non-durable queue survived the restart");
        } catch (IOException e) {
            ShutdownSignalException sse = (ShutdownSignalException) e.getCause();
            assertEquals(404, ((AMQP.Channel.Close) sse.getReason()).getReplyCode());
        }
        Channel c3 = conn.createChannel();
        c3.queueDelete(durableQ);
        c3.exchangeDelete(x);
    }

    @Test
    void unackedPersistentMessagesComeBackRedelivered() throws Exception {
        String q = "lifecycle.unacked";
        conn = factory().newConnection();
        Channel ch = conn.createChannel();
        ch.queueDeclare(q, true, false, false, null);
        ch.confirmSelect();
        ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, "m".getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(10_000);
        GetResponse first = ch.basicGet(q, false);
        assertNotNull(first);
        assertTrue(!first.getEnvelope().isRedeliver());

        broker.restart(); // the delivery was never acked

        conn = factory().newConnection();
        Channel c2 = conn.createChannel();
        GetResponse again = c2.basicGet(q, true);
        assertNotNull(again);
        assertTrue(again.getEnvelope().isRedeliver(), "redelivered after the restart");
        assertNull(c2.basicGet(q, true));
        c2.queueDelete(q);
    }

    @Test
    void confirmedPersistentMessagesSurviveKillMinus9() throws Exception {
        String q = "lifecycle.crash";
        conn = factory().newConnection();
        Channel ch = conn.createChannel();
        ch.queueDeclare(q, true, false, false, null);
        ch.confirmSelect();
        int n = 500;
        for (int i = 0; i < n; i++) {
            ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(20_000);

        broker.kill();
        broker.start();

        conn = factory().newConnection();
        Channel c2 = conn.createChannel();
        assertEquals(n, c2.queueDeclarePassive(q).getMessageCount());
        for (int i = 0; i < n; i++) {
            GetResponse r = c2.basicGet(q, true);
            assertNotNull(r, "message " + i);
            assertEquals(Integer.toString(i), new String(r.getBody(), StandardCharsets.UTF_8));
        }
        c2.queueDelete(q);
    }
}
