package io.warren.interop;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Users, vhosts and permissions loaded from a RabbitMQ definitions file at start
 * ({@code --definitions}); the password hash is made here with RabbitMQ's salted SHA-256 scheme,
 * so a file exported by RabbitMQ works the same way. Warren only (needs its own broker process).
 */
@Timeout(60)
class AccessControlTest {
    private static final String ALICE_PASSWORD = "wonder land";

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--definitions", definitionsFile().toString(),
            "--bind", "0.0.0.0");

    private Connection alice;

    /** rabbit_password_hashing_sha256: base64(salt ++ sha256(salt ++ password)). */
    static String rabbitHash(String password) {
        try {
            byte[] salt = {(byte) 0x90, (byte) 0x8d, (byte) 0xc6, 0x0a};
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            byte[] digest = sha.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] all = new byte[salt.length + digest.length];
            System.arraycopy(salt, 0, all, 0, salt.length);
            System.arraycopy(digest, 0, all, salt.length, digest.length);
            return Base64.getEncoder().encodeToString(all);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path definitionsFile() {
        try {
            Path f = Files.createTempFile("warren-defs-", ".json");
            Files.writeString(f, """
                    {"rabbit_version": "3.10.8",
                     "users": [{"name": "alice", "password_hash": "%s",
                                "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": []}],
                     "vhosts": [{"name": "/"}, {"name": "other"}],
                     "permissions": [
                       {"user": "alice", "vhost": "/", "configure": "^alice\\\\..*",
                        "write": "^(alice\\\\..*|amq\\\\.default)$", "read": "^alice\\\\..*"},
                       {"user": "guest", "vhost": "other", "configure": ".*", "write": ".*", "read": ".*"}],
                     "exchanges": [{"name": "guarded.x", "vhost": "/", "type": "fanout", "durable": true,
                                    "auto_delete": false, "internal": false, "arguments": {}}],
                     "queues": [{"name": "guarded.q", "vhost": "/", "durable": true, "auto_delete": false,
                                 "arguments": {"x-max-length": 10}}],
                     "bindings": [{"source": "guarded.x", "vhost": "/", "destination": "guarded.q",
                                   "destination_type": "queue", "routing_key": "", "arguments": {}}]}
                    """.formatted(rabbitHash(ALICE_PASSWORD)));
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ConnectionFactory factory(String user, String password, String vhost) {
        ConnectionFactory f = broker.connectionFactory();
        f.setUsername(user);
        f.setPassword(password);
        f.setVirtualHost(vhost);
        return f;
    }

    @BeforeEach
    void connect() throws Exception {
        assumeFalse(WarrenBroker.external(), "needs a broker started with --definitions");
        alice = factory("alice", ALICE_PASSWORD, "/").newConnection();
    }

    @AfterEach
    void close() {
        if (alice != null && alice.isOpen()) {
            alice.abort(1000);
        }
    }

    private static ShutdownSignalException channelError(Channel ch, ThrowingRunnable r) {
        Exception e = assertThrows(Exception.class, r::run);
        // after a publish, the broker's channel.close may arrive before the next call: the client then
        // refuses that call itself (AlreadyClosedException, carrying the same close)
        ShutdownSignalException sse = e instanceof ShutdownSignalException closed ? closed
                : (ShutdownSignalException) e.getCause();
        assertTrue(!sse.isHardError(), "a channel error, not a connection error: " + sse);
        assertTrue(!ch.isOpen());
        return sse;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static int code(ShutdownSignalException e) {
        return ((com.rabbitmq.client.AMQP.Channel.Close) e.getReason()).getReplyCode();
    }

    private static String text(ShutdownSignalException e) {
        return ((com.rabbitmq.client.AMQP.Channel.Close) e.getReason()).getReplyText();
    }

    @Test
    void importedUserLogsInWithItsRabbitMqHashAndAWrongPasswordIsRefused() {
        assertTrue(alice.isOpen());
        assertThrows(AuthenticationFailureException.class,
                () -> factory("alice", "not it", "/").newConnection());
    }

    @Test
    void configurePermissionGovernsDeclare() throws Exception {
        Channel ch = alice.createChannel();
        ch.queueDeclare("alice.work", false, false, true, null);
        ShutdownSignalException e = channelError(ch, () -> ch.queueDeclare("bob.work", false, false, true, null));
        assertEquals(403, code(e));
        assertEquals("ACCESS_REFUSED - access to queue 'bob.work' in vhost '/' refused for user 'alice'", text(e));
        Channel again = alice.createChannel(); // the connection is still usable
        again.queueDeclarePassive("alice.work");
        again.queueDelete("alice.work");
    }

    @Test
    void writePermissionGovernsPublishIncludingTheDefaultExchange() throws Exception {
        Channel ch = alice.createChannel();
        ch.queueDeclare("alice.inbox", false, false, true, null);
        ch.basicPublish("", "alice.inbox", null, "hi".getBytes(StandardCharsets.UTF_8)); // amq.default is allowed
        assertEquals(1, waitForCount(ch, "alice.inbox", 1));
        ch.basicPublish("guarded.x", "", null, "no".getBytes(StandardCharsets.UTF_8));
        ShutdownSignalException e = channelError(ch, () -> ch.queueDeclarePassive("alice.inbox"));
        assertEquals(403, code(e));
        assertEquals("ACCESS_REFUSED - access to exchange 'guarded.x' in vhost '/' refused for user 'alice'", text(e));
    }

    /** rabbit_channel checks write permission before it looks the exchange up (checked on RabbitMQ 3.10.8). */
    @Test
    void publishWithoutWritePermissionToAMissingExchangeIs403Not404() throws Exception {
        Channel ch = alice.createChannel();
        ch.basicPublish("nobody.missing", "", null, "no".getBytes(StandardCharsets.UTF_8));
        ShutdownSignalException e = channelError(ch, () -> ch.queueDeclarePassive("nobody.missing"));
        assertEquals(403, code(e));
        assertEquals("ACCESS_REFUSED - access to exchange 'nobody.missing' in vhost '/' refused for user 'alice'", text(e));
        Channel allowed = alice.createChannel();
        allowed.basicPublish("alice.missing", "", null, "no".getBytes(StandardCharsets.UTF_8));
        e = channelError(allowed, () -> allowed.queueDeclarePassive("nobody.missing"));
        assertEquals(404, code(e));
        assertEquals("NOT_FOUND - no exchange 'alice.missing' in vhost '/'", text(e));
    }

    private static long waitForCount(Channel ch, String q, long want) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        long n;
        do {
            n = ch.messageCount(q);
        } while (n < want && System.currentTimeMillis() < deadline && sleep());
        return n;
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(20);
        return true;
    }

    @Test
    void readPermissionGovernsConsumeAndGetAndBindNeedsItOnTheExchange() throws Exception {
        Channel ch = alice.createChannel();
        ShutdownSignalException e = channelError(ch, () -> ch.basicGet("guarded.q", true));
        assertEquals(403, code(e));
        Channel ch2 = alice.createChannel();
        e = channelError(ch2, () -> ch2.basicConsume("guarded.q", true, (t, d) -> { }, t -> { }));
        assertEquals(403, code(e));
        Channel ch3 = alice.createChannel();
        ch3.queueDeclare("alice.bound", false, false, true, null);
        e = channelError(ch3, () -> ch3.queueBind("alice.bound", "guarded.x", ""));
        assertEquals("ACCESS_REFUSED - access to exchange 'guarded.x' in vhost '/' refused for user 'alice'", text(e));
    }

    @Test
    void definitionsCreatedTopologyRoutes() throws Exception {
        try (Connection guest = broker.connectionFactory().newConnection()) {
            Channel ch = guest.createChannel();
            ch.queuePurge("guarded.q");
            ch.basicPublish("guarded.x", "", null, "via definitions".getBytes(StandardCharsets.UTF_8));
            assertEquals(1, waitForCount(ch, "guarded.q", 1));
            ch.queuePurge("guarded.q");
        }
    }

    @Test
    void aUserWithoutPermissionsOnAVhostCannotOpenIt() throws Exception {
        IOException e = assertThrows(IOException.class, () -> factory("alice", ALICE_PASSWORD, "other").newConnection());
        ShutdownSignalException sse = (ShutdownSignalException) e.getCause();
        assertEquals(530, ((com.rabbitmq.client.AMQP.Connection.Close) sse.getReason()).getReplyCode());
        assertEquals("NOT_ALLOWED - access to vhost 'other' refused for user 'alice'",
                ((com.rabbitmq.client.AMQP.Connection.Close) sse.getReason()).getReplyText());
        try (Connection ok = factory("guest", "guest", "other").newConnection()) {
            Channel ch = ok.createChannel();
            ch.queueDeclare("in.other", false, false, true, null);
            assertEquals(0, ch.messageCount("in.other"));
        }
    }

    @Test
    void guestMayOnlyConnectFromLoopback() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> { try { return i.isUp() && !i.isLoopback(); } catch (IOException x) { return false; } })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "no non-loopback address on this machine");
        ConnectionFactory f = factory("guest", "guest", "/");
        f.setHost(external.get().getHostAddress());
        assertThrows(AuthenticationFailureException.class, f::newConnection);
        ConnectionFactory a = factory("alice", ALICE_PASSWORD, "/");
        a.setHost(external.get().getHostAddress());
        try (Connection c = a.newConnection()) {
            assertTrue(c.isOpen(), "other users may connect from anywhere");
        }
    }

    @Test
    void pikaSeesTheSamePermissions() throws Exception {
        java.nio.file.Path script = PikaTest.scriptDir().resolve("access").resolve("pika_access.py");
        PikaTest.Result r = PikaTest.run(java.util.List.of(PikaTest.python(), script.toString(),
                Integer.toString(broker.port()), "alice", ALICE_PASSWORD));
        assertEquals(0, r.exit(), r.output());
    }
}
