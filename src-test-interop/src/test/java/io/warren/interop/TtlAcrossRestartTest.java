package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * TTL keeps running while the broker is down: a persistent message whose TTL ran out during the
 * downtime is dead-lettered at recovery (reason expired), and that dead letter, persistent in a
 * durable queue, survives the next restart; a message with time left is still there.
 */
@Timeout(120)
class TtlAcrossRestartTest { // and the other queue features that must hold across a restart
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated();

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "restarts the broker process");
    }

    @Test
    void messagesThatExpiredWhileDownAreDeadLetteredAtRecovery() throws Exception {
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
        AMQP.BasicProperties longLived = new AMQP.BasicProperties.Builder().deliveryMode(2).expiration("600000").build();
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.exchangeDeclare("ttlr.dlx", "fanout", true);
            ch.queueDeclare("ttlr.dead", true, false, false, null);
            ch.queueBind("ttlr.dead", "ttlr.dlx", "");
            ch.queueDeclare("ttlr.q", true, false, false,
                    Map.of("x-message-ttl", 2000, "x-dead-letter-exchange", "ttlr.dlx"));
            ch.queueDeclare("ttlr.keep", true, false, false, null);
            ch.confirmSelect();
            ch.basicPublish("", "ttlr.q", persistent, "short".getBytes(StandardCharsets.UTF_8));
            ch.basicPublish("", "ttlr.keep", longLived, "long".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
        }
        broker.stop();
        Thread.sleep(2500); // the 2 s TTL runs out while the broker is down
        broker.start();
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            assertEquals(0, ch.queueDeclarePassive("ttlr.q").getMessageCount());
            assertEquals(1, ch.queueDeclarePassive("ttlr.dead").getMessageCount());
        }
        broker.restart(); // the dead letter is persistent and its queue durable: it is stored too
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            assertNull(ch.basicGet("ttlr.q", true), "expired during the downtime: never delivered");
            GetResponse dead = ch.basicGet("ttlr.dead", true);
            assertNotNull(dead, "dead-lettered at recovery");
            assertEquals("short", new String(dead.getBody(), StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> xDeath = (List<Map<String, Object>>) dead.getProps().getHeaders().get("x-death");
            assertEquals("expired", xDeath.get(0).get("reason").toString());
            assertEquals("ttlr.q", xDeath.get(0).get("queue").toString());
            GetResponse kept = ch.basicGet("ttlr.keep", true);
            assertNotNull(kept, "a message with time left is still there");
            for (String q : List.of("ttlr.q", "ttlr.dead", "ttlr.keep")) {
                ch.queueDelete(q);
            }
            ch.exchangeDelete("ttlr.dlx");
        }
    }

    @Test
    void aPriorityQueueKeepsItsOrderAcrossARestart() throws Exception {
        int[] priorities = {1, 5, 9, 5, 0, 9, 1};
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.queueDeclare("ttlr.prio", true, false, false, Map.of("x-max-priority", 10));
            ch.confirmSelect();
            for (int i = 0; i < priorities.length; i++) {
                AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().deliveryMode(2).priority(priorities[i]).build();
                ch.basicPublish("", "ttlr.prio", p, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            }
            ch.waitForConfirmsOrDie(10_000);
        }
        broker.restart();
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            // highest priority first, publish order within one priority
            for (String want : List.of("2", "5", "1", "3", "0", "6", "4")) {
                GetResponse r = ch.basicGet("ttlr.prio", true);
                assertNotNull(r, "message " + want);
                assertEquals(want, new String(r.getBody(), StandardCharsets.UTF_8));
            }
            ch.queueDelete("ttlr.prio");
        }
    }
}
