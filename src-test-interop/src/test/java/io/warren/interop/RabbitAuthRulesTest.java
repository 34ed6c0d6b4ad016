package io.warren.interop;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Two rules of RabbitMQ's internal auth backend (checked against RabbitMQ 3.10 with rabbitmqctl and Pika): a blank
 * password never logs in, even when the stored hash is the hash of "" (over AMQP and HTTP); and permission patterns
 * are searched in the resource name ({@code re:run}), so {@code r-} grants {@code xr-q} while {@code ^r-$} grants only
 * {@code r-}. Users come from a definitions file, so Warren only.
 */
@Timeout(60)
class RabbitAuthRulesTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--definitions", definitions().toString());

    private static Path definitions() {
        try {
            Path f = Files.createTempFile("warren-auth-rules-", ".json");
            Files.writeString(f, """
                    {"users": [
                       {"name": "blank", "password_hash": "%s", "hashing_algorithm": "rabbit_password_hashing_sha256",
                        "tags": ["administrator"]},
                       {"name": "nopass", "password_hash": "", "hashing_algorithm": "rabbit_password_hashing_sha256",
                        "tags": []},
                       {"name": "carol", "password_hash": "%s", "hashing_algorithm": "rabbit_password_hashing_sha256",
                        "tags": []},
                       {"name": "dave", "password_hash": "%s", "hashing_algorithm": "rabbit_password_hashing_sha256",
                        "tags": []}],
                     "vhosts": [{"name": "/"}],
                     "permissions": [
                       {"user": "blank", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
                       {"user": "nopass", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
                       {"user": "carol", "vhost": "/", "configure": "r-", "write": "r-", "read": "r-"},
                       {"user": "dave", "vhost": "/", "configure": "^r-$", "write": "^r-$", "read": "^r-$"}]}
                    """.formatted(AccessControlTest.rabbitHash(""), AccessControlTest.rabbitHash("pw"),
                    AccessControlTest.rabbitHash("pw")));
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with --definitions");
    }

    private static ConnectionFactory factory(String user, String password) {
        ConnectionFactory f = broker.connectionFactory();
        f.setUsername(user);
        f.setPassword(password);
        return f;
    }

    @Test
    void aBlankPasswordNeverLogsInOverAmqp() throws Exception {
        BrokerLog log = BrokerLog.mark(broker);
        // the stored hash is the hash of "": only the blank-password rule refuses this login
        assertThrows(AuthenticationFailureException.class, () -> factory("blank", "").newConnection());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains(
                        "PLAIN login refused: user 'blank' attempted to log in with a blank password")),
                "the reason is logged");
        // a user created without a password cannot log in by password at all
        assertThrows(AuthenticationFailureException.class, () -> factory("nopass", "").newConnection());
        assertThrows(AuthenticationFailureException.class, () -> factory("nopass", "anything").newConnection());
    }

    @Test
    void aBlankPasswordNeverLogsInOverHttp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + broker.httpPort() + "/api/whoami"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "blank:".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
    }

    private static int code(ShutdownSignalException e) {
        return ((com.rabbitmq.client.AMQP.Channel.Close) e.getReason()).getReplyCode();
    }

    private static String text(IOException e) {
        return ((com.rabbitmq.client.AMQP.Channel.Close) ((ShutdownSignalException) e.getCause()).getReason()).getReplyText();
    }

    @Test
    void aPatternGrantsEveryNameThatContainsAMatch() throws Exception {
        try (Connection carol = factory("carol", "pw").newConnection()) {
            Channel ch = carol.createChannel();
            ch.queueDeclare("xr-q", false, false, true, null);          // configure
            ch.exchangeDeclare("xr-x", "fanout", false, true, null);     // configure
            ch.queueBind("xr-q", "xr-x", "");                            // write on the queue, read on the exchange
            ch.confirmSelect();
            ch.basicPublish("xr-x", "", null, "hi".getBytes(StandardCharsets.UTF_8)); // write on the exchange
            ch.waitForConfirmsOrDie(5_000);
            assertEquals("hi", new String(ch.basicGet("xr-q", true).getBody(), StandardCharsets.UTF_8)); // read

            IOException e = assertThrows(IOException.class, () -> ch.queueDeclare("other", false, false, true, null));
            assertEquals(403, code((ShutdownSignalException) e.getCause()));
            assertEquals("ACCESS_REFUSED - access to queue 'other' in vhost '/' refused for user 'carol'", text(e));
        }
        // users anchor a pattern themselves: ^r-$ grants r- and nothing else
        try (Connection dave = factory("dave", "pw").newConnection()) {
            Channel ch = dave.createChannel();
            ch.queueDeclare("r-", false, false, true, null);
            IOException e = assertThrows(IOException.class, () -> ch.queueDeclare("xr-q", false, false, true, null));
            assertEquals("ACCESS_REFUSED - access to queue 'xr-q' in vhost '/' refused for user 'dave'", text(e));
        }
    }
}
