package io.warren.embedded;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** One embedded broker: it starts fast on free ports, works, and leaves nothing behind when closed. */
class EmbeddedWarrenTest {

    @Test
    void closeFreesEveryThreadPortAndFile() throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        EmbeddedWarren warren = EmbeddedWarren.builder().httpPort(0).start();
        int amqp = warren.amqpPort();
        int http = warren.httpPort();
        Path dir = warren.dataDir();
        assertTrue(amqp > 0 && http > 0 && amqp != http, amqp + " " + http);
        assertTrue(Files.isDirectory(dir));
        assertEquals("amqp://guest:guest@127.0.0.1:" + amqp, warren.amqpUri());
        roundTrip(warren.amqpUri(), "q");
        // a queue declared off the event loops (HTTP), with a message waiting for its TTL: the timer must
        // run on the broker's own loops and end with them, not on a JVM-wide executor
        HttpURLConnection api = (HttpURLConnection) URI.create("http://127.0.0.1:" + http + "/api/queues/%2F/ttl")
                .toURL().openConnection();
        api.setRequestMethod("PUT");
        api.setDoOutput(true);
        api.setRequestProperty("Authorization", "Basic Z3Vlc3Q6Z3Vlc3Q="); // guest:guest
        api.setRequestProperty("Content-Type", "application/json");
        api.getOutputStream().write("{\"arguments\":{\"x-message-ttl\":600000}}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, api.getResponseCode());
        api.disconnect();
        try (Connection c = factory(warren.amqpUri()).newConnection(); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            ch.basicPublish("", "ttl", null, "waits for its TTL".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
            assertEquals(1, ch.messageCount("ttl"));
        }

        warren.close();
        warren.close(); // idempotent

        JvmThreads.assertAllEndedSince(before);
        assertRefused(amqp);
        assertRefused(http);
        assertFalse(Files.exists(dir), "temporary data directory deleted");
    }

    @Test
    void startsInUnderHalfASecondWhenWarm() throws Exception {
        try (EmbeddedWarren warmUp = EmbeddedWarren.builder().start()) {
            roundTrip(warmUp.amqpUri(), "warm");
        }
        // the best of three: the machine may be busy with other work, the broker's own start is measured
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            EmbeddedWarren warren = EmbeddedWarren.builder().start();
            best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
            try (warren) {
                roundTrip(warren.amqpUri(), "timed");
            }
        }
        assertTrue(best < 500, "warm start took " + best + " ms");
    }

    @Test
    void givenDataDirectoryIsKeptAndReusedAcrossRestarts(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (EmbeddedWarren warren = EmbeddedWarren.builder().dataDir(data).start()) {
            ConnectionFactory f = factory(warren.amqpUri());
            try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
                ch.queueDeclare("kept", true, false, false, null);
                ch.confirmSelect();
                ch.basicPublish("", "kept", com.rabbitmq.client.MessageProperties.PERSISTENT_BASIC,
                        "still here".getBytes(StandardCharsets.UTF_8));
                ch.waitForConfirmsOrDie(10_000);
            }
        }
        assertTrue(Files.isDirectory(data), "a given data directory is not deleted");
        try (EmbeddedWarren warren = EmbeddedWarren.builder().dataDir(data).start();
             Connection c = factory(warren.amqpUri()).newConnection(); Channel ch = c.createChannel()) {
            GetResponse r = ch.basicGet("kept", true);
            assertNotNull(r);
            assertEquals("still here", new String(r.getBody(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void usersAndSettingsPassThrough() throws Exception {
        try (EmbeddedWarren warren = EmbeddedWarren.builder().user("app user", "s3cret/pass")
                .setting("default-user", "admin").setting("default-pass", "pw").setting("frame-max", "8192")
                .start()) {
            assertEquals("amqp://admin:pw@127.0.0.1:" + warren.amqpPort(), warren.amqpUri());
            try (Connection c = factory(warren.amqpUri()).newConnection()) {
                assertEquals(8192, c.getFrameMax());
            }
            String appUri = "amqp://app%20user:s3cret%2Fpass@127.0.0.1:" + warren.amqpPort();
            roundTrip(appUri, "app");
            ConnectionFactory guest = factory("amqp://guest:guest@127.0.0.1:" + warren.amqpPort());
            assertThrows(com.rabbitmq.client.AuthenticationFailureException.class, guest::newConnection);
        }
    }

    @Test
    void unknownSettingFailsAndLeavesNothingRunning() throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedWarren.builder().setting("no-such-setting", "1").start());
        assertTrue(e.getMessage().contains("no-such-setting"), e.getMessage());
        JvmThreads.assertAllEndedSince(before);
    }

    @Test
    void definitionsAreImported(@TempDir Path dir) throws Exception {
        Path defs = dir.resolve("defs.json");
        Files.writeString(defs, """
                {"users": [{"name": "svc", "password": "pw", "tags": ""}],
                 "vhosts": [{"name": "/"}, {"name": "orders"}],
                 "permissions": [{"user": "svc", "vhost": "orders", "configure": ".*", "write": ".*", "read": ".*"}],
                 "queues": [{"name": "incoming", "vhost": "orders", "durable": true, "auto_delete": false,
                             "arguments": {}}]}
                """);
        try (EmbeddedWarren warren = EmbeddedWarren.builder().definitions(defs).start();
             Connection c = factory("amqp://svc:pw@127.0.0.1:" + warren.amqpPort() + "/orders").newConnection();
             Channel ch = c.createChannel()) {
            assertEquals(0, ch.queueDeclarePassive("incoming").getMessageCount());
            assertTrue(warren.amqpUri("orders").endsWith(":" + warren.amqpPort() + "/orders"), warren.amqpUri("orders"));
        }
    }

    @Test
    void closeDisconnectsClientsWithConnectionForced() throws Exception {
        EmbeddedWarren warren = EmbeddedWarren.builder().start();
        Connection c = factory(warren.amqpUri()).newConnection();
        java.util.concurrent.CompletableFuture<com.rabbitmq.client.ShutdownSignalException> closed =
                new java.util.concurrent.CompletableFuture<>();
        c.addShutdownListener(closed::complete);
        warren.close();
        com.rabbitmq.client.ShutdownSignalException why = closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertFalse(why.isInitiatedByApplication());
        assertEquals(320, ((com.rabbitmq.client.AMQP.Connection.Close) why.getReason()).getReplyCode());
    }

    @Test
    void aTakenPortFailsTheStartAndLeavesNothingBehind() throws Exception {
        try (EmbeddedWarren first = EmbeddedWarren.builder().start()) {
            Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
            Set<Path> tempDirs = tempDirs();
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> EmbeddedWarren.builder().amqpPort(first.amqpPort()).start());
            assertTrue(e.getMessage().contains("amqp port " + first.amqpPort()), e.getMessage());
            JvmThreads.assertAllEndedSince(before);
            assertEquals(tempDirs, tempDirs(), "the failed broker's temporary directory is deleted");
            roundTrip(first.amqpUri(), "unharmed"); // the broker that has the port keeps working
        }
    }

    private static Set<Path> tempDirs() throws java.io.IOException {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("warren-embedded-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    static ConnectionFactory factory(String uri) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(uri);
        return f;
    }

    /** Declare, publish, get back: the broker at {@code uri} works. */
    static void roundTrip(String uri, String queue) throws Exception {
        try (Connection c = factory(uri).newConnection(); Channel ch = c.createChannel()) {
            ch.queueDeclare(queue, false, false, false, null);
            ch.basicPublish("", queue, null, ("hello " + queue).getBytes(StandardCharsets.UTF_8));
            GetResponse r = null;
            for (int i = 0; i < 100 && r == null; i++) { // basic.get right after a publish on the same channel
                r = ch.basicGet(queue, true);
            }
            assertNotNull(r);
            assertEquals("hello " + queue, new String(r.getBody(), StandardCharsets.UTF_8));
        }
    }

    private static void assertRefused(int port) {
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                fail("port " + port + " still open");
            }
        });
    }
}
