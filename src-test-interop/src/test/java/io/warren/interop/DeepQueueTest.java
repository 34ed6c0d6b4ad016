package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A durable queue deeper than the broker's heap: 100,000 persistent 2 KiB messages (about 200 MB of
 * bodies) into a broker whose heap is capped at 96 MB. Bodies must leave the heap once on disk (the
 * queue pages them out; the management API reports them as paged out), come back byte for byte and
 * in order for no-ack gets, a no-ack consumer and an acking consumer, before and after a restart; and
 * nothing settled comes back after another restart.
 */
@Timeout(300)
class DeepQueueTest {
    private static final int COUNT = 100_000;
    private static final int SIZE = 2048;
    private static final String Q = "deep.q";

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated().jvmOptions("-Xmx96m");

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with a small heap");
    }

    private static byte[] body(int i) {
        byte[] b = new byte[SIZE];
        java.util.Arrays.fill(b, (byte) (i * 31));
        ByteBuffer.wrap(b).putInt(i).putInt(~i);
        return b;
    }

    private static void assertBody(int expected, byte[] got) {
        assertEquals(SIZE, got.length);
        int i = ByteBuffer.wrap(got).getInt();
        assertEquals(expected, i, "publish order");
        assertArrayEquals(body(expected), got, "body of message " + expected);
    }

    private JsonNode queueInfo() throws Exception {
        return queueInfo(Q);
    }

    private JsonNode queueInfo(String queue) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + broker.httpPort() + "/api/queues/%2F/" + queue))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void aQueueDeeperThanTheHeapPagesOutAndComesBackIntactAcrossRestarts() throws Exception {
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2)
                .contentType("application/octet-stream").build();
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.queueDeclare(Q, true, false, false, null);
            ch.confirmSelect();
            for (int i = 0; i < COUNT; i++) {
                ch.basicPublish("", Q, persistent, body(i));
                if (i % 1000 == 999) {
                    ch.waitForConfirmsOrDie(60_000);
                }
            }
            ch.waitForConfirmsOrDie(60_000);
            assertEquals(COUNT, ch.queueDeclarePassive(Q).getMessageCount());
        }
        JsonNode q = queueInfo();
        assertEquals(COUNT, q.get("messages_ready").asLong());
        assertTrue(q.get("messages_paged_out").asLong() >= COUNT - 10_000,
                "most messages are held only on disk: " + q.get("messages_paged_out"));
        assertEquals((long) COUNT * SIZE, q.get("message_bytes_ready").asLong());

        // the first 1,000 through no-ack gets, in order (the first ones are still whole in memory)
        int next = 0;
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            for (; next < 1000; next++) {
                GetResponse g = ch.basicGet(Q, true);
                assertNotNull(g, "message " + next);
                assertBody(next, g.getBody());
            }
        }

        broker.restart();
        q = queueInfo();
        assertEquals(COUNT - 1000, q.get("messages_ready").asLong(), "no-ack gets are settled");
        assertTrue(q.get("messages_paged_out").asLong() >= COUNT - 1000 - 2048, "recovered straight into the paged run");

        try (Connection c = broker.connectionFactory().newConnection()) {
            // 20,000 through a no-ack consumer: each settled only after its body was read back
            Channel ch = c.createChannel();
            BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
            String tag = ch.basicConsume(Q, true, (t, d) -> got.add(d), t -> { });
            for (; next < 21_000; next++) {
                Delivery d = got.poll(30, TimeUnit.SECONDS);
                assertNotNull(d, "message " + next);
                assertBody(next, d.getBody());
                assertFalse(d.getEnvelope().isRedeliver());
            }
            ch.basicCancel(tag);
            ch.close();
            // what the no-ack consumer had in flight when it was cancelled is gone with it, as in RabbitMQ;
            // the rest follows on from there
            got.clear();
            int left = c.createChannel().queueDeclarePassive(Q).getMessageCount();
            assertTrue(left <= COUNT - next, "no-ack deliveries were settled: " + left);
            next = COUNT - left;

            // the rest through an acking consumer with prefetch
            Channel ack = c.createChannel();
            ack.basicQos(200);
            ack.basicConsume(Q, false, (t, d) -> {
                got.add(d);
                ack.basicAck(d.getEnvelope().getDeliveryTag(), false);
            }, t -> { });
            for (; next < COUNT; next++) {
                Delivery d = got.poll(30, TimeUnit.SECONDS);
                assertNotNull(d, "message " + next);
                assertBody(next, d.getBody());
            }
            assertNull(got.poll(200, TimeUnit.MILLISECONDS), "nothing more");
        }

        broker.restart();
        try (Connection c = broker.connectionFactory().newConnection()) {
            assertEquals(0, c.createChannel().queueDeclarePassive(Q).getMessageCount(),
                    "nothing settled comes back");
        }
    }

    /**
     * Paged messages keep their TTL: a deep queue with x-message-ttl pages out like any other, the TTL
     * keeps running across a restart, and every message is dead-lettered on time, in order, intact.
     */
    @Test
    void pagedMessagesExpireInOrderIntoTheDeadLetterQueueAcrossARestart() throws Exception {
        int n = 5000;
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.exchangeDeclare("deep.dlx", "fanout", true);
            ch.queueDeclare("deep.dead", true, false, false, null);
            ch.queueBind("deep.dead", "deep.dlx", "");
            ch.queueDeclare("deep.ttl", true, false, false,
                    java.util.Map.of("x-message-ttl", 8000, "x-dead-letter-exchange", "deep.dlx"));
            ch.confirmSelect();
            for (int i = 0; i < n; i++) {
                ch.basicPublish("", "deep.ttl", persistent, body(i));
            }
            ch.waitForConfirmsOrDie(60_000);
        }
        JsonNode info = queueInfo("deep.ttl");
        long paged = info.get("messages_paged_out").asLong();
        long ready = info.get("messages_ready").asLong(); // less than n if the machine was slow and some expired
        assertTrue(ready < 2048 || paged >= ready - 2048, "messages that can expire are paged too: " + paged + " of " + ready);

        broker.restart();
        long deadline = System.currentTimeMillis() + 30_000;
        int dead = 0;
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            while (System.currentTimeMillis() < deadline
                    && (dead = ch.queueDeclarePassive("deep.dead").getMessageCount()) < n) {
                Thread.sleep(200);
            }
            assertEquals(n, dead, "every message expired into the dead-letter queue");
            assertEquals(0, ch.queueDeclarePassive("deep.ttl").getMessageCount());
            for (int i = 0; i < n; i++) {
                GetResponse g = ch.basicGet("deep.dead", true);
                assertNotNull(g, "dead letter " + i);
                assertBody(i, g.getBody());
                Object deaths = g.getProps().getHeaders().get("x-death");
                assertTrue(String.valueOf(deaths).contains("expired"), String.valueOf(deaths));
            }
        }
    }
}
