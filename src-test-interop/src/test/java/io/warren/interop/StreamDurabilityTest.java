package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A stream and every message confirmed to it survive a restart and a kill -9, offsets carry on where
 * they stopped, a deleted stream's files go, and /api/queues reports the stream. Warren only (a broker
 * process of its own).
 */
@Timeout(120)
class StreamDurabilityTest {

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

    private Channel channel() throws Exception {
        if (conn == null || !conn.isOpen()) {
            conn = broker.connectionFactory().newConnection();
        }
        return conn.createChannel();
    }

    private void declareAndPublish(String q, int from, int to) throws Exception {
        Channel ch = channel();
        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "stream"));
        ch.confirmSelect();
        for (int i = from; i < to; i++) {
            ch.basicPublish("", q, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(20_000);
    }

    /** Reads from first until offset {@code last}, checking every body and offset on the way. */
    private void readAll(String q, int last) throws Exception {
        Channel ch = channel();
        BlockingQueue<Object[]> got = new LinkedBlockingQueue<>();
        ch.basicQos(500);
        String tag = ch.basicConsume(q, false, Map.of("x-stream-offset", "first"), new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) throws IOException {
                got.add(new Object[] {p.getHeaders().get("x-stream-offset"), new String(body, StandardCharsets.UTF_8)});
                if (ch.isOpen()) { // deliveries still queued in the client when readAll closed the channel
                    ch.basicAck(env.getDeliveryTag(), false);
                }
            }
        });
        for (int i = 0; i <= last; i++) {
            Object[] g = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(g, "offset " + i + " did not come");
            assertEquals((long) i, ((Number) g[0]).longValue());
            assertEquals("m" + i, g[1]);
        }
        ch.basicCancel(tag);
        ch.close();
    }

    private JsonNode queueInfo(String q) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + broker.httpPort()
                        + "/api/queues/%2F/" + q))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes()))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void confirmedMessagesAndOffsetsSurviveARestart() throws Exception {
        String q = "stream.restart";
        declareAndPublish(q, 0, 1000);
        broker.restart();
        readAll(q, 999);
        declareAndPublish(q, 1000, 1001); // offsets carry on after the restart
        readAll(q, 1000);
        JsonNode info = queueInfo(q);
        assertEquals("stream", info.get("type").asText());
        assertEquals(1001, info.get("messages").asLong());
        assertTrue(info.get("message_bytes").asLong() > 1001 * 4, "bytes: " + info.get("message_bytes"));
        assertTrue(info.get("segments").asLong() >= 1, "segments: " + info.get("segments"));
        channel().queueDelete(q);
    }

    @Test
    void confirmedMessagesSurviveKillMinus9() throws Exception {
        String q = "stream.crash";
        declareAndPublish(q, 0, 2000);
        broker.kill();
        broker.start();
        readAll(q, 1999);
        declareAndPublish(q, 2000, 2001);
        readAll(q, 2000);
        channel().queueDelete(q);
    }

    @Test
    void aKillMinus9WhilePublishingKeepsEveryConfirmedMessageAndTheOffsetsGoOn() throws Exception {
        String q = "stream.crash.midway";
        Channel ch = channel();
        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "stream"));
        ch.confirmSelect();
        java.util.concurrent.atomic.AtomicLong confirmed = new java.util.concurrent.atomic.AtomicLong();
        ch.addConfirmListener((tag, multiple) -> confirmed.accumulateAndGet(tag, Math::max), (tag, multiple) -> { });
        java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(1);
        ch.addConfirmListener((tag, multiple) -> {
            if (tag >= 3000) {
                enough.countDown();
            }
        }, (tag, multiple) -> { });
        Thread publisher = new Thread(() -> {
            try {
                for (int i = 0; ; i++) { // until the broker dies under it
                    ch.basicPublish("", q, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
                }
            } catch (Exception brokerGone) {
                // expected: the kill closes the connection
            }
        });
        publisher.start();
        assertTrue(enough.await(30, TimeUnit.SECONDS), "3000 confirms");
        broker.kill(); // mid-stream: appends and syncs are under way
        publisher.join(10_000);
        long sure = confirmed.get(); // tags start at 1: messages m0 .. m(sure-1) were confirmed
        broker.start();
        readAll(q, (int) sure - 1);
        long count = queueInfo(q).get("messages").asLong();
        assertTrue(count >= sure, count + " messages, " + sure + " confirmed");
        Channel c = channel();
        c.confirmSelect();
        c.basicPublish("", q, null, ("m" + count).getBytes(StandardCharsets.UTF_8));
        c.waitForConfirmsOrDie(10_000);
        readAll(q, (int) count); // the next offset follows the last one that survived, none in between lost
        channel().queueDelete(q);
    }

    @Test
    void aPolicyRetentionTrimsAStreamThatHasNoneOfItsOwn() throws Exception {
        String q = "stream.policy";
        Channel ch = channel();
        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "stream", "x-stream-max-segment-size-bytes", 10_000));
        ch.confirmSelect();
        byte[] kib = new byte[1000];
        for (int i = 0; i < 100; i++) {
            ch.basicPublish("", q, null, kib);
        }
        ch.waitForConfirmsOrDie(20_000);
        assertEquals(100, queueInfo(q).get("messages").asLong(), "no retention yet");
        HttpRequest put = HttpRequest.newBuilder(URI.create("http://localhost:" + broker.httpPort()
                        + "/api/policies/%2F/stream-bytes"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes()))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"pattern\":\"^stream\\\\.policy$\",\"apply-to\":\"queues\","
                        + "\"definition\":{\"max-length-bytes\":20000}}"))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        ch.basicPublish("", q, null, kib); // retention runs after the next write
        ch.waitForConfirmsOrDie(20_000);
        long left = queueInfo(q).get("messages").asLong();
        assertTrue(left < 40 && left > 0, "messages left after the policy: " + left);
        assertEquals("stream-bytes", queueInfo(q).get("policy").asText());
        ch.queueDelete(q);
    }

    @Test
    void aDeletedStreamComesBackEmpty() throws Exception {
        String q = "stream.deleted";
        declareAndPublish(q, 0, 10);
        Channel ch = channel();
        ch.queueDelete(q);
        declareAndPublish(q, 0, 1); // the same name again: a new stream, from offset 0
        readAll(q, 0);
        assertEquals(1, queueInfo(q).get("messages").asLong());
        broker.restart();
        assertEquals(1, queueInfo(q).get("messages").asLong());
        assertFalse(queueInfo(q).get("durable").isMissingNode());
        channel().queueDelete(q);
    }

    @Test
    void filesLeftByAStreamWhoseDeleteWasCutShortAreRemovedAtStart() throws Exception {
        String q = "stream.orphan";
        declareAndPublish(q, 0, 5);
        java.nio.file.Path streams = broker.dataDir().resolve("streams");
        java.util.List<java.nio.file.Path> before;
        try (var s = java.nio.file.Files.list(streams)) {
            before = s.toList();
        }
        broker.stop();
        java.nio.file.Path copy = streams.resolveSibling("stream-copy");
        for (java.nio.file.Path d : before) { // keep the files, then delete the stream: as a crash mid-delete leaves it
            copyTree(d, copy.resolve(d.getFileName()));
        }
        broker.start();
        channel().queueDelete(q);
        broker.stop();
        for (java.nio.file.Path d : before) {
            copyTree(copy.resolve(d.getFileName()), d);
        }
        broker.start();
        declareAndPublish(q, 0, 1); // a new stream of that name: offset 0 again, not the old files' 5
        readAll(q, 0);
        assertEquals(1, queueInfo(q).get("messages").asLong());
        channel().queueDelete(q);
    }

    private static void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws IOException {
        try (var walk = java.nio.file.Files.walk(from)) {
            for (java.nio.file.Path p : walk.toList()) {
                java.nio.file.Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("warren.lock")) {
                    java.nio.file.Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
