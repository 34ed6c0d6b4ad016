package io.warren.interop;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.warren.interop.RawAmqp.METHOD;
import static io.warren.interop.RawAmqp.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * What a client that fails to log in sees, as on RabbitMQ 3.10: connection.close 403 only if it announced the
 * {@code authentication_failure_close} capability, otherwise (and for an unknown mechanism, a malformed response or
 * a frame over 4,096 bytes before tune-ok, capability or not) the socket is closed without a frame. The broker logs
 * one line per refusal with the reason, and client-chosen text in it cannot forge log lines.
 */
class LoginRefusalTest extends InteropTestBase {

    /** client-properties announcing authentication_failure_close, as amqp-client and Pika send them. */
    private static byte[] propertiesWithCapability(byte[] extra) {
        byte[] caps = new RawAmqp.Buf().shortstr("authentication_failure_close").octet('t').octet(1).bytes();
        return new RawAmqp.Buf().shortstr("capabilities").octet('F').longstr(caps).raw(extra).bytes();
    }

    private static byte[] startOk(byte[] clientProperties, String mechanism, byte[] response) {
        return method(10, 11).table(clientProperties).shortstr(mechanism).longstr(response).shortstr("en_US").bytes();
    }

    private RawAmqp started() throws IOException {
        RawAmqp r = new RawAmqp(broker.host(), broker.port());
        r.write(RawAmqp.PROTOCOL_HEADER);
        r.readFrame().expectMethod(10, 10);
        return r;
    }

    /** The broker closes the socket (RabbitMQ after a 3 s delay) without sending a single frame. */
    private static void assertClosedWithoutAFrame(RawAmqp r) throws IOException {
        r.socket.setSoTimeout(15_000);
        try {
            RawAmqp.Frame f = r.readFrame();
            fail("expected the socket to be closed without a frame, got " + f
                    + (f.isMethod(10, 50) ? " " + f.close() : ""));
        } catch (SocketTimeoutException e) {
            fail("the broker did not close the socket within 15 s");
        } catch (EOFException | SocketException e) {
            // closed (or reset), nothing said: as RabbitMQ
        }
    }

    @Test
    void aWrongPasswordGets403OnlyWithTheCapability() throws Exception {
        try (RawAmqp r = started()) {
            r.send(METHOD, 0, startOk(propertiesWithCapability(new byte[0]), "PLAIN", RawAmqp.plainResponse("guest", "wrong")));
            RawAmqp.Close close = r.expectConnectionClose();
            assertEquals(403, close.code());
            assertEquals("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.",
                    close.text());
            assertTrue(r.closedByServerWithin(5_000));
        }
        try (RawAmqp r = started()) {
            r.send(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("guest", "wrong")));
            assertClosedWithoutAFrame(r);
        }
    }

    @Test
    void anUnknownMechanismIsClosedWithoutAFrameEvenWithTheCapability() throws Exception {
        try (RawAmqp r = started()) {
            r.send(METHOD, 0, startOk(propertiesWithCapability(new byte[0]), "EXTERNAL", new byte[0]));
            assertClosedWithoutAFrame(r);
        }
    }

    @Test
    void aMalformedPlainResponseIsClosedWithoutAFrameEvenWithTheCapability() throws Exception {
        try (RawAmqp r = started()) {
            r.send(METHOD, 0, startOk(propertiesWithCapability(new byte[0]), "PLAIN",
                    "no separators".getBytes(StandardCharsets.UTF_8)));
            assertClosedWithoutAFrame(r);
        }
    }

    /** A start-ok whose frame payload is exactly {@code size} bytes, padded with a client property. */
    private static byte[] startOkOfSize(int size) {
        byte[] response = RawAmqp.plainResponse("guest", "guest");
        int bare = startOk(propertiesWithCapability(new RawAmqp.Buf().shortstr("pad").octet('S').l(0).bytes()),
                "PLAIN", response).length;
        byte[] pad = new byte[size - bare];
        java.util.Arrays.fill(pad, (byte) 'x');
        byte[] p = startOk(propertiesWithCapability(new RawAmqp.Buf().shortstr("pad").octet('S').longstr(pad).bytes()),
                "PLAIN", response);
        assertEquals(size, p.length);
        return p;
    }

    @Test
    void beforeTuneOkFramesAreLimitedTo4096Bytes() throws Exception {
        // RabbitMQ's frame_max before tuning is 4096, and (like its client) it does not count the 8 bytes of framing
        try (RawAmqp r = started()) {
            r.send(METHOD, 0, startOkOfSize(4096));
            r.readFrame().expectMethod(10, 30);
        }
        // one byte more: closed without a frame (RabbitMQ logs frame_too_large and says nothing to the client)
        try (RawAmqp r = started()) {
            r.send(METHOD, 0, startOkOfSize(4097));
            assertClosedWithoutAFrame(r);
        }
        try (RawAmqp r = started()) {
            r.send(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("guest", "guest")));
            r.readFrame().expectMethod(10, 30);
            // tune-ok itself is still under the pre-tuning limit, whatever frame_max it asks for
            byte[] tuneOk = new RawAmqp.Buf().raw(method(10, 31).s(2047).l(131072).s(0).bytes()).raw(new byte[5000]).bytes();
            r.send(METHOD, 0, tuneOk);
            assertClosedWithoutAFrame(r);
        }
    }

    @Test
    void aRefusedLoginIsLoggedOnceWithUserAndReason() throws Exception {
        assumeFalse(WarrenBroker.external(), "reads Warren's log");
        BrokerLog log = BrokerLog.mark(broker);
        int port;
        try (RawAmqp r = started()) {
            port = r.socket.getLocalPort();
            r.send(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("bob", "secret")));
            assertClosedWithoutAFrame(r);
        }
        List<String> lines = log.aboutClientPort(port);
        assertEquals(1, lines.size(), () -> "one line for the refusal, got " + lines);
        assertTrue(lines.get(0).contains("PLAIN login refused: user 'bob' - invalid credentials"), lines.get(0));
        assertFalse(lines.get(0).contains("secret"), "never the password");
    }

    @Test
    void clientTextCannotForgeLogLines() throws Exception {
        assumeFalse(WarrenBroker.external(), "reads Warren's log");
        BrokerLog log = BrokerLog.mark(broker);
        try (RawAmqp r = started()) {
            r.send(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("bob\r\nFORGED-USER-LINE", "x")));
            assertClosedWithoutAFrame(r);
        }
        try (RawAmqp r = started()) {
            r.send(METHOD, 0, RawAmqp.startOk("EVIL\nFORGED-MECHANISM-LINE", new byte[0]));
            assertClosedWithoutAFrame(r);
        }
        List<String> lines = log.lines();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("FORGED")), () -> "a forged line in " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("user 'bob\\x0d\\x0aFORGED-USER-LINE' - invalid credentials")),
                () -> "the user name, escaped, in " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("unknown authentication mechanism 'EVIL\\x0aFORGED-MECHANISM-LINE'")),
                () -> "the mechanism, escaped, in " + lines);
    }
}
