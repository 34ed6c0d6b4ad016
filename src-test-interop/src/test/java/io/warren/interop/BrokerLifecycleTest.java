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
 * Stopping, signalling and restarting the broker process. Warren only: these need a process of their own, so the
 * class is skipped against an external broker ({@code -Dwarren.test.port}).
 */
@Timeout(120)
class BrokerLifecycleTest {

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
    void sigtermClosesConnectionsWith320() throws Exception {
        conn = factory().newConnection();
        Channel ch = conn.createChannel();
        ch.queueDeclare("", false, true, true, null);
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        conn.addShutdownListener(closed::complete);

        broker.sigterm();

        ShutdownSignalException sse = closed.get(15, TimeUnit.SECONDS);
        assertTrue(sse.isHardError(), "a connection-level close");
        assertTrue(!sse.isInitiatedByApplication(), "initiated by the broker");
        AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, sse.getReason(), sse.toString());
        assertEquals(320, close.getReplyCode());
        // RabbitMQ 3.10's text, observed on SIGTERM
        assertEquals("CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'", close.getReplyText());
        int exit = broker.waitForExit(15_000);
        assertTrue(exit >= 0, "broker must exit after SIGTERM");
    }

    @Test
    void stopAndStartAgain() throws Exception {
        broker.stop();
        assertTrue(!broker.isRunning());
        assertTrue(!WarrenBroker.accepts(broker.port()), "port closed after stop");
        broker.start();
        conn = factory().newConnection();
        assertTrue(conn.isOpen());
    }
}
