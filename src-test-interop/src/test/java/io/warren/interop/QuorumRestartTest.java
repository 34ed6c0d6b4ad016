package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A standalone node's quorum queue (a single-member Raft group) after kill -9: every confirmed
 * message is back, in order, acked ones are not, and the one a consumer held unacked comes back
 * redelivered with its delivery counted.
 */
@Timeout(300)
class QuorumRestartTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated();

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "kills the broker process");
    }

    @Test
    void confirmedMessagesSurviveKillMinus9() throws Exception {
        ConnectionFactory f = broker.connectionFactory();
        f.setAutomaticRecoveryEnabled(false);
        String q = "quorum.restart";
        Connection before = f.newConnection();
        {
            Channel ch = before.createChannel();
            ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
            ch.confirmSelect();
            for (int i = 0; i < 500; i++) {
                ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(ch.waitForConfirms(60_000));
            for (int i = 0; i < 100; i++) {
                GetResponse r = ch.basicGet(q, false);
                assertEquals("m" + i, new String(r.getBody(), StandardCharsets.UTF_8));
                ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
            }
            GetResponse held = ch.basicGet(q, false); // m100: held, never acked
            assertEquals("m100", new String(held.getBody(), StandardCharsets.UTF_8));
            // a marker round trip: the acks before it are committed once it answers
            assertEquals(399, ch.queueDeclarePassive(q).getMessageCount());
            awaitReady(ch, q, 399);
        }
        broker.kill();
        before.abort();
        broker.start();
        try (Connection c = f.newConnection()) {
            Channel ch = c.createChannel();
            awaitReady(ch, q, 400);
            GetResponse back = ch.basicGet(q, true);
            assertEquals("m100", new String(back.getBody(), StandardCharsets.UTF_8), "the held message, first (returned)");
            assertTrue(back.getEnvelope().isRedeliver());
            assertEquals(1L, ((Number) back.getProps().getHeaders().get("x-delivery-count")).longValue());
            for (int i = 101; i < 500; i++) {
                GetResponse r = ch.basicGet(q, true);
                assertNotNull(r, "m" + i);
                assertEquals("m" + i, new String(r.getBody(), StandardCharsets.UTF_8));
                assertFalse(r.getEnvelope().isRedeliver());
            }
            assertNull(ch.basicGet(q, true));
            ch.queueDelete(q);
        }
    }

    /** The count comes from the replica once the restart's own log replay and return are applied. */
    private static void awaitReady(Channel ch, String q, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        long count;
        while ((count = ch.queueDeclarePassive(q).getMessageCount()) != n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("queue has " + count + " ready, expected " + n);
            }
            Thread.sleep(20);
        }
    }
}
