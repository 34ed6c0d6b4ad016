package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code --max-connections} counts connections that got through connection.open, so sockets that connect and then
 * say nothing (or stop in the handshake) cannot fill the limit and lock real users out. The handshake timeout is long
 * here, so the silent sockets are all still there when the real clients come.
 */
@Timeout(60)
class PreLoginConnectionLimitTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--max-connections", "3", "--handshake-timeout-ms", "60000");

    private final List<RawAmqp> sockets = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with --max-connections 3");
    }

    @AfterEach
    void closeAll() {
        sockets.forEach(RawAmqp::close);
        connections.forEach(InteropTestBase::closeQuietly);
    }

    private Connection connect() throws Exception {
        Connection c = broker.connectionFactory().newConnection();
        connections.add(c);
        return c;
    }

    private static void works(Connection c) throws Exception {
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        ch.confirmSelect();
        ch.basicPublish("", q, null, new byte[]{1});
        ch.waitForConfirmsOrDie(5_000);
        assertEquals(1, ch.basicGet(q, true).getBody().length);
    }

    @Test
    void silentAndUnfinishedSocketsDoNotCountAgainstTheLimit() throws Exception {
        for (int i = 0; i < 20; i++) {
            sockets.add(new RawAmqp(broker.host(), broker.port())); // says nothing
        }
        for (int i = 0; i < 10; i++) {
            RawAmqp r = new RawAmqp(broker.host(), broker.port());
            sockets.add(r);
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10); // the broker has it: stops after the header
        }
        for (int i = 0; i < 5; i++) {
            RawAmqp r = new RawAmqp(broker.host(), broker.port());
            sockets.add(r);
            r.handshake(2047, 131072, 0); // logged in and tuned, but never opens a vhost
        }

        Connection a = connect();
        Connection b = connect();
        Connection c = connect();
        for (Connection each : List.of(a, b, c)) {
            works(each);
        }

        // the limit itself still holds for real connections, with RabbitMQ's error
        IOException e = assertThrows(IOException.class, () -> broker.connectionFactory().newConnection());
        AMQP.Connection.Close close = (AMQP.Connection.Close) ((ShutdownSignalException) e.getCause()).getReason();
        assertEquals(530, close.getReplyCode());
        assertEquals("NOT_ALLOWED - connection refused: node connection limit (3) is reached", close.getReplyText());

        // a closed connection (and the refused one) give their slots back
        a.close();
        works(connect());
    }
}
