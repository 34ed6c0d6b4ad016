package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownNotifier;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Common ground of the amqp-client tests: the shared broker, one connection + channel per test, unique names and
 * clean-up of whatever the test declared, and assertions for channel and connection errors.
 */
public abstract class InteropTestBase {

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.shared();

    protected Connection conn;
    protected Channel ch;
    private final List<Connection> connections = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();
    private String testName = "t";

    @BeforeEach
    void openConnection(TestInfo info) throws Exception {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("t");
        conn = newConnection();
        ch = conn.createChannel();
    }

    @AfterEach
    void closeAndCleanUp() throws Exception {
        for (Connection c : connections) {
            closeQuietly(c);
        }
        connections.clear();
        if (!queues.isEmpty() || !exchanges.isEmpty()) {
            try (Connection c = factory().newConnection("cleanup")) {
                Channel cc = c.createChannel();
                for (String q : queues) {
                    try {
                        cc.queueDelete(q);
                    } catch (IOException e) {
                        cc = c.createChannel(); // e.g. 405 on another connection's exclusive queue: it will vanish
                    }
                }
                for (String x : exchanges) {
                    try {
                        cc.exchangeDelete(x);
                    } catch (IOException e) {
                        cc = c.createChannel();
                    }
                }
            }
        }
        queues.clear();
        exchanges.clear();
    }

    protected ConnectionFactory factory() {
        return broker.connectionFactory();
    }

    /** A new connection that is closed after the test. */
    protected Connection newConnection() throws IOException, TimeoutException {
        Connection c = factory().newConnection("interop-" + getClass().getSimpleName() + "-" + testName);
        connections.add(c);
        return c;
    }

    /** Registers a connection made elsewhere for closing after the test. */
    protected <C extends Connection> C track(C c) {
        connections.add(c);
        return c;
    }

    protected static void closeQuietly(Connection c) {
        try {
            if (c.isOpen()) {
                c.close(2_000);
            }
        } catch (Exception ignored) {
            c.abort(1_000);
        }
    }

    /** A name unique to this test run, recorded as a queue to delete after the test. */
    protected String queueName(String hint) {
        String n = uniqueName("q." + hint);
        queues.add(n);
        return n;
    }

    protected String queueName() {
        return queueName(testName);
    }

    /** A name unique to this test run, recorded as an exchange to delete after the test. */
    protected String exchangeName(String hint) {
        String n = uniqueName("x." + hint);
        exchanges.add(n);
        return n;
    }

    protected String exchangeName() {
        return exchangeName(testName);
    }

    /** Records a name (e.g. server-named) for deletion after the test. */
    protected String deleteQueueAfter(String name) {
        queues.add(name);
        return name;
    }

    protected String deleteExchangeAfter(String name) {
        exchanges.add(name);
        return name;
    }

    protected static String uniqueName(String hint) {
        return "interop." + hint + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    }

    /** Declares a non-durable, non-exclusive, non-auto-delete queue that is deleted after the test. */
    protected String declareQueue() throws IOException {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, null);
        return q;
    }

    protected GetResponse getOrFail(Channel c, String queue, boolean autoAck) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            GetResponse r = c.basicGet(queue, autoAck);
            if (r != null) {
                return r;
            }
            Thread.sleep(10);
        }
        return fail("no message in " + queue + " within 5 s");
    }

    /** Waits until the queue holds n ready messages (publishes are asynchronous). */
    protected void awaitMessageCount(String queue, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        long count = -1;
        try (Channel c = conn.createChannel()) {
            while (System.currentTimeMillis() < deadline) {
                count = c.messageCount(queue);
                if (count == n) {
                    return;
                }
                Thread.sleep(10);
            }
        }
        fail("queue " + queue + " has " + count + " messages, expected " + n);
    }

    // ---------------------------------------------------------------- error assertions

    /** Runs a synchronous operation that must fail with a channel error; returns the reply text. */
    protected static String assertChannelError(int code, Channel c, Executable op) {
        ShutdownSignalException sse = expectShutdown(op);
        assertFalse(sse.isHardError(), () -> "expected a channel error but got a connection error: " + sse.getReason());
        String text = checkClose(sse, code, AMQP.Channel.Close.class);
        assertFalse(c.isOpen(), "channel must be closed after a channel error");
        return text;
    }

    /** Runs an operation that must fail with a connection error; returns the reply text. */
    protected static String assertConnectionError(int code, Connection c, Executable op) {
        ShutdownSignalException sse = expectShutdown(op);
        assertTrue(sse.isHardError(), () -> "expected a connection error but got a channel error: " + sse.getReason());
        String text = checkClose(sse, code, AMQP.Connection.Close.class);
        awaitClosed(c);
        return text;
    }

    /** For asynchronous errors (publish, ack ...): waits until the channel closes and checks the reason. */
    protected static String awaitChannelError(int code, Channel c) {
        ShutdownSignalException sse = awaitClosed(c);
        assertFalse(sse.isHardError(), () -> "expected a channel error but got: " + sse.getReason());
        return checkClose(sse, code, AMQP.Channel.Close.class);
    }

    /** For asynchronous errors: waits until the connection closes and checks the reason. */
    protected static String awaitConnectionError(int code, Connection c) {
        ShutdownSignalException sse = awaitClosed(c);
        assertTrue(sse.isHardError(), () -> "expected a connection error but got: " + sse.getReason());
        return checkClose(sse, code, AMQP.Connection.Close.class);
    }

    protected static ShutdownSignalException awaitClosed(ShutdownNotifier n) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (n.isOpen()) {
            if (System.currentTimeMillis() > deadline) {
                fail("not closed within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        ShutdownSignalException sse = n.getCloseReason();
        assertNotNull(sse, "close reason");
        return sse;
    }

    private static ShutdownSignalException expectShutdown(Executable op) {
        try {
            op.execute();
        } catch (ShutdownSignalException e) {
            return e;
        } catch (Throwable t) {
            Throwable c = t;
            while (c != null) {
                if (c instanceof ShutdownSignalException sse) {
                    return sse;
                }
                c = c.getCause();
            }
            throw new AssertionError("expected a ShutdownSignalException but got " + t, t);
        }
        return fail("operation succeeded but an AMQP error was expected");
    }

    private static String checkClose(ShutdownSignalException sse, int code, Class<? extends Method> type) {
        Method m = sse.getReason();
        assertNotNull(m, () -> "no close method in " + sse);
        assertInstanceOf(type, m, () -> "close reason " + m);
        int actual;
        String text;
        if (m instanceof AMQP.Channel.Close cc) {
            actual = cc.getReplyCode();
            text = cc.getReplyText();
        } else {
            AMQP.Connection.Close cc = (AMQP.Connection.Close) m;
            actual = cc.getReplyCode();
            text = cc.getReplyText();
        }
        String t = text;
        assertEquals(code, actual, () -> "reply code; text was: " + t);
        assertFalse(sse.isInitiatedByApplication(), "the close must come from the broker");
        return text;
    }
}
