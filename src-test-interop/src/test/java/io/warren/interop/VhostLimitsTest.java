package io.warren.interop;

import com.rabbitmq.client.AMQP;
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
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Per-vhost limits (RabbitMQ's vhost-limits parameters, here from a definitions file) and the
 * node-wide connection limit ({@code --max-connections}), with RabbitMQ's error texts.
 */
@Timeout(60)
class VhostLimitsTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--definitions", definitions().toString(),
            "--max-connections", "3");

    private static Path definitions() {
        try {
            Path f = Files.createTempFile("warren-limits-", ".json");
            Files.writeString(f, """
                    {"vhosts": [{"name": "limited"}],
                     "permissions": [{"user": "guest", "vhost": "limited", "configure": ".*", "write": ".*", "read": ".*"}],
                     "parameters": [{"vhost": "limited", "component": "vhost-limits", "name": "limits",
                                     "value": {"max-connections": 1, "max-queues": 1}}]}
                    """);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with limits");
    }

    private ConnectionFactory limited() {
        ConnectionFactory f = broker.connectionFactory();
        f.setVirtualHost("limited");
        return f;
    }

    private static AMQP.Connection.Close connectionClose(IOException e) {
        return (AMQP.Connection.Close) ((ShutdownSignalException) e.getCause()).getReason();
    }

    @Test
    void vhostConnectionAndQueueLimits() throws Exception {
        try (Connection first = limited().newConnection()) {
            IOException e = assertThrows(IOException.class, () -> limited().newConnection());
            assertEquals(530, connectionClose(e).getReplyCode());
            assertEquals("NOT_ALLOWED - access to vhost 'limited' refused for user 'guest': connection limit (1) is reached",
                    connectionClose(e).getReplyText());

            Channel ch = first.createChannel();
            ch.queueDeclare("only-one", false, false, true, null);
            ch.queueDeclare("only-one", false, false, true, null); // redeclaring is not a new queue
            IOException q = assertThrows(IOException.class, () -> ch.queueDeclare("second", false, false, true, null));
            AMQP.Channel.Close close = (AMQP.Channel.Close) ((ShutdownSignalException) q.getCause()).getReason();
            assertEquals(406, close.getReplyCode());
            assertEquals("PRECONDITION_FAILED - cannot declare queue 'second': queue limit in vhost 'limited' (1) is reached",
                    close.getReplyText());
        }
        try (Connection again = limited().newConnection()) {
            assertEquals(true, again.isOpen(), "the slot is free once the first connection closed");
        }
    }

    @Test
    void nodeConnectionLimit() throws Exception {
        try (Connection a = broker.connectionFactory().newConnection();
             Connection b = broker.connectionFactory().newConnection();
             Connection c = broker.connectionFactory().newConnection()) {
            IOException e = assertThrows(IOException.class, () -> broker.connectionFactory().newConnection());
            assertEquals(530, connectionClose(e).getReplyCode());
            assertEquals("NOT_ALLOWED - connection refused: node connection limit (3) is reached",
                    connectionClose(e).getReplyText());
        }
    }
}
