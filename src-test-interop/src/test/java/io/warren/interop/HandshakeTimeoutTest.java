package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.warren.interop.RawAmqp.METHOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A socket that does not finish the handshake (through connection.open) in time is closed by the broker, whatever it
 * sent: nothing, the protocol header, half a frame, everything up to tune-ok. Warren runs with
 * {@code --handshake-timeout-ms 500}; RabbitMQ (external broker) with its default of 10 s.
 */
@Timeout(120)
class HandshakeTimeoutTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--handshake-timeout-ms", "500");

    /** How long to wait for the broker's close: well above the handshake timeout, far below "never". */
    private static int closeWithinMs() {
        return WarrenBroker.external() ? 15_000 : 5_000;
    }

    private RawAmqp connect() throws Exception {
        return new RawAmqp(broker.host(), broker.port());
    }

    @Test
    void aSocketThatSendsNothingIsClosed() throws Exception {
        try (RawAmqp r = connect()) {
            assertTrue(r.closedByServerWithin(closeWithinMs()), "a silent socket must be closed");
        }
    }

    @Test
    void aSocketThatSendsOnlyTheProtocolHeaderIsClosed() throws Exception {
        try (RawAmqp r = connect()) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            assertTrue(r.closedByServerWithin(closeWithinMs()), "a socket that never answers connection.start must be closed");
        }
    }

    @Test
    void aSocketThatStopsInTheMiddleOfAFrameIsClosed() throws Exception {
        try (RawAmqp r = connect()) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            byte[] startOk = RawAmqp.frame(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("guest", "guest")));
            r.write(Arrays.copyOf(startOk, 10));
            assertTrue(r.closedByServerWithin(closeWithinMs()), "a socket stuck in a frame must be closed");
        }
    }

    @Test
    void aSocketThatStopsAfterTuneOkIsClosed() throws Exception {
        try (RawAmqp r = connect()) {
            r.handshake(2047, 131072, 0); // everything but connection.open
            assertTrue(r.closedByServerWithin(closeWithinMs()), "a socket that never opens a vhost must be closed");
        }
    }

    @Test
    void anOpenConnectionOutlivesTheHandshakeTimeout() throws Exception {
        try (Connection c = broker.connectionFactory().newConnection()) {
            // this socket connects after c, so once it is closed c's handshake deadline has passed too
            try (RawAmqp silent = connect()) {
                assertTrue(silent.closedByServerWithin(closeWithinMs()));
            }
            assertTrue(c.isOpen());
            Channel ch = c.createChannel();
            String q = ch.queueDeclare().getQueue();
            ch.confirmSelect();
            ch.basicPublish("", q, null, "still here".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(5_000);
            assertEquals("still here", new String(ch.basicGet(q, true).getBody(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTimedOutSocketIsLoggedOnce() throws Exception {
        assumeFalse(WarrenBroker.external(), "reads Warren's log");
        BrokerLog log = BrokerLog.mark(broker);
        int port;
        try (RawAmqp r = connect()) {
            port = r.socket.getLocalPort();
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            assertTrue(r.closedByServerWithin(closeWithinMs()));
        }
        List<String> lines = log.aboutClientPort(port);
        assertEquals(1, lines.size(), () -> "one line for the socket, got " + lines);
        assertTrue(lines.get(0).contains("handshake timeout, waiting for connection.start-ok"), lines.get(0));
    }
}
