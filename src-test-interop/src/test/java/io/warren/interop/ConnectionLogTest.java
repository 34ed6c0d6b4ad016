package io.warren.interop;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;

import javax.net.SocketFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A connection's life in the broker log, in RabbitMQ 3.10's words (taken from its log): accepted, authenticated,
 * closed, or closed abruptly by the client; each line starts with an ISO-8601 timestamp with date and zone.
 */
class ConnectionLogTest extends InteropTestBase {
    private static final Pattern ISO_TIMESTAMP =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) ");

    /** An amqp-client factory that hands us the socket it connects with, so a test can cut it. */
    private ConnectionFactory recordingFactory(AtomicReference<Socket> socket) {
        ConnectionFactory f = factory();
        f.setHost("127.0.0.1");
        f.setSocketFactory(new SocketFactory() {
            @Override
            public Socket createSocket() {
                Socket s = new Socket();
                socket.set(s);
                return s;
            }

            @Override
            public Socket createSocket(String host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }
        });
        return f;
    }

    @Test
    void acceptedAuthenticatedAndClosedAsRabbitMqWritesThem() throws Exception {
        assumeFalse(WarrenBroker.external(), "reads Warren's log");
        BrokerLog log = BrokerLog.mark(broker);
        AtomicReference<Socket> socket = new AtomicReference<>();
        Connection c = recordingFactory(socket).newConnection();
        int port = socket.get().getLocalPort();
        c.close();
        String name = "127.0.0.1:" + port + " -> 127.0.0.1:" + broker.port();
        String closing = log.await("closing AMQP connection <0.");
        List<String> lines = log.allAboutClientPort(port);
        assertEquals(3, lines.size(), () -> "accepted, authenticated, closed: " + lines);
        String id = "<0\\.\\d+\\.0>";
        assertMatches("INFO .* - accepting AMQP connection (" + id + ") \\(" + Pattern.quote(name) + "\\)$", lines.get(0));
        String pid = lines.get(0).replaceAll(".*accepting AMQP connection (<[^>]+>).*", "$1");
        assertTrue(lines.get(1).endsWith(" - connection " + pid + " (" + name
                + "): user 'guest' authenticated and granted access to vhost '/'"), lines.get(1));
        assertTrue(closing.endsWith(" - closing AMQP connection " + pid + " (" + name + ", vhost: '/', user: 'guest')"),
                closing);
        lines.forEach(l -> assertMatches(ISO_TIMESTAMP.pattern() + ".*", l));
    }

    @Test
    void anAbruptDisconnectIsLogged() throws Exception {
        assumeFalse(WarrenBroker.external(), "reads Warren's log");
        BrokerLog log = BrokerLog.mark(broker);
        AtomicReference<Socket> socket = new AtomicReference<>();
        Connection c = track(recordingFactory(socket).newConnection());
        int port = socket.get().getLocalPort();
        socket.get().close(); // no connection.close: the TCP connection just goes away
        String line = log.await("client unexpectedly closed TCP connection");
        assertTrue(line.endsWith(" - closing AMQP connection <" + line.replaceAll(".*closing AMQP connection <([^>]+)>.*", "$1")
                + "> (127.0.0.1:" + port + " -> 127.0.0.1:" + broker.port()
                + ", vhost: '/', user: 'guest'): client unexpectedly closed TCP connection"), line);
        assertTrue(line.contains(" WARN "), line);
        c.abort(500);
    }

    @Test
    void aSocketClosedAfterTheProtocolHeaderIsLoggedWithoutUser() throws Exception {
        assumeFalse(WarrenBroker.external(), "reads Warren's log");
        BrokerLog log = BrokerLog.mark(broker);
        int port;
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            port = r.socket.getLocalPort();
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
        }
        String line = log.await(":" + port + " -> ");
        String closed = log.await("client unexpectedly closed TCP connection");
        assertTrue(line.contains("accepting AMQP connection"), line);
        assertTrue(closed.matches(".* - closing AMQP connection <0\\.\\d+\\.0> \\(\\S+:" + port
                + " -> \\S+\\): client unexpectedly closed TCP connection$"), closed);
    }

    private static void assertMatches(String regex, String line) {
        assertTrue(Pattern.compile(regex).matcher(line).find(), () -> "'" + line + "' does not match " + regex);
    }
}
