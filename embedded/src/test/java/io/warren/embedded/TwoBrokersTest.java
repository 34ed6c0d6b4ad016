package io.warren.embedded;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.warren.embedded.EmbeddedWarrenTest.factory;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Two brokers in one JVM at once, each with its own data, used at the same time: what used to be
 * JVM-wide (the reader of on-disk message bodies, the loops queue timers fall back to) is per broker,
 * so each reads back its own journal, answers its own direct reply-to and expires on its own timers.
 */
class TwoBrokersTest {
    /** More than a durable queue's in-memory head (1,024): the rest is paged out and read back. */
    private static final int DEEP = 1500;

    @Test
    void twoBrokersRunSideBySide() throws Exception {
        java.util.Set<Thread> before = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        // body-memory-limit 0: every synced persistent body leaves the heap, so each one delivered is read back
        try (EmbeddedWarren a = EmbeddedWarren.builder().setting("body-memory-limit", "0").start();
             EmbeddedWarren b = EmbeddedWarren.builder().setting("body-memory-limit", "0").start()) {
            assertNotEquals(a.amqpPort(), b.amqpPort());
            assertNotEquals(a.dataDir(), b.dataDir());
            CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> exercise(a, "A"));
            CompletableFuture<Void> onB = CompletableFuture.runAsync(() -> exercise(b, "B"));
            join(onA);
            join(onB);
        }
        JvmThreads.assertAllEndedSince(before); // both closed cleanly
    }

    @Test
    void restartedBrokersRecoverTheirOwnDataAndTimers(@TempDir Path dir) throws Exception {
        Path dataA = dir.resolve("a");
        Path dataB = dir.resolve("b");
        try (EmbeddedWarren a = EmbeddedWarren.builder().dataDir(dataA).start();
             EmbeddedWarren b = EmbeddedWarren.builder().dataDir(dataB).start()) {
            fill(a, "A");
            fill(b, "B");
        }
        // queues recovered at start are made off the event loops: their timers must run on their own broker's
        try (EmbeddedWarren a = EmbeddedWarren.builder().dataDir(dataA).setting("body-memory-limit", "0").start();
             EmbeddedWarren b = EmbeddedWarren.builder().dataDir(dataB).setting("body-memory-limit", "0").start()) {
            CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> drainAndExpire(a, "A"));
            CompletableFuture<Void> onB = CompletableFuture.runAsync(() -> drainAndExpire(b, "B"));
            join(onA);
            join(onB);
        }
    }

    private static void join(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    /** Paged persistent messages, direct reply-to and a TTL on one broker; {@code tag} marks its messages. */
    private static void exercise(EmbeddedWarren warren, String tag) {
        try (Connection c = factory(warren.amqpUri()).newConnection(); Channel ch = c.createChannel()) {
            publishDeep(ch, tag);
            readDeep(ch, tag);
            directReplyTo(c, ch, tag);
            expiry(ch, tag);
        } catch (Exception e) {
            throw new AssertionError("broker " + tag + ": " + e, e);
        }
    }

    private static void fill(EmbeddedWarren warren, String tag) throws Exception {
        try (Connection c = factory(warren.amqpUri()).newConnection(); Channel ch = c.createChannel()) {
            publishDeep(ch, tag);
            ch.queueDeclare("expired", true, false, false, null);
            ch.queueDeclare("ttl", true, false, false, Map.of("x-message-ttl", 100,
                    "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "expired"));
        }
    }

    private static void drainAndExpire(EmbeddedWarren warren, String tag) {
        try (Connection c = factory(warren.amqpUri()).newConnection(); Channel ch = c.createChannel()) {
            readDeep(ch, tag);
            ch.basicPublish("", "ttl", null, ("expiring " + tag).getBytes(StandardCharsets.UTF_8));
            assertEquals("expiring " + tag, next(consume(ch, "expired")), "dead-lettered by the TTL timer");
        } catch (Exception e) {
            throw new AssertionError("broker " + tag + ": " + e, e);
        }
    }

    private static void publishDeep(Channel ch, String tag) throws Exception {
        ch.queueDeclare("deep", true, false, false, null);
        ch.confirmSelect();
        for (int i = 0; i < DEEP; i++) {
            ch.basicPublish("", "deep", MessageProperties.PERSISTENT_BASIC, body(tag, i));
        }
        ch.waitForConfirmsOrDie(60_000);
    }

    /** Every message back, in order, each with its own broker's body (read back from that broker's journal). */
    private static void readDeep(Channel ch, String tag) throws Exception {
        for (int i = 0; i < DEEP; i++) {
            GetResponse r = ch.basicGet("deep", false);
            assertNotNull(r, "message " + i);
            assertArrayEquals(body(tag, i), r.getBody(), "message " + i);
            ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
        }
        assertNull(ch.basicGet("deep", false));
    }

    private static byte[] body(String tag, int i) {
        return ("broker " + tag + " message " + i).getBytes(StandardCharsets.UTF_8);
    }

    private static void directReplyTo(Connection c, Channel client, String tag) throws Exception {
        Channel server = c.createChannel();
        server.queueDeclare("rpc", false, false, true, null);
        server.basicConsume("rpc", true, new DefaultConsumer(server) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws java.io.IOException {
                server.basicPublish("", props.getReplyTo(), null,
                        ("reply to " + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            }
        });
        BlockingQueue<String> replies = new ArrayBlockingQueue<>(1);
        client.basicConsume("amq.rabbitmq.reply-to", true, new DefaultConsumer(client) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                replies.add(new String(body, StandardCharsets.UTF_8));
            }
        });
        client.basicPublish("", "rpc", new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").build(),
                ("request " + tag).getBytes(StandardCharsets.UTF_8));
        assertEquals("reply to request " + tag, next(replies));
        server.close();
    }

    private static void expiry(Channel ch, String tag) throws Exception {
        ch.queueDeclare("expired", false, false, false, null);
        ch.queueDeclare("ttl", false, false, false, Map.of("x-message-ttl", 100,
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "expired"));
        ch.basicPublish("", "ttl", null, ("expiring " + tag).getBytes(StandardCharsets.UTF_8));
        assertEquals("expiring " + tag, next(consume(ch, "expired")), "dead-lettered by the TTL timer");
    }

    private static BlockingQueue<String> consume(Channel ch, String queue) throws Exception {
        BlockingQueue<String> got = new ArrayBlockingQueue<>(16);
        ch.basicConsume(queue, true, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                got.add(new String(body, StandardCharsets.UTF_8));
            }
        });
        return got;
    }

    private static String next(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(30, TimeUnit.SECONDS);
        assertNotNull(s, "nothing arrived within 30 s");
        return s;
    }
}
