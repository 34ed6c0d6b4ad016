package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;

import static io.warren.interop.RawAmqp.BODY;
import static io.warren.interop.RawAmqp.HEADER;
import static io.warren.interop.RawAmqp.HEARTBEAT;
import static io.warren.interop.RawAmqp.METHOD;
import static io.warren.interop.RawAmqp.method;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed input over a plain socket. Codes and text prefixes are RabbitMQ 3.10's; after every case the broker must
 * go on serving the connection opened before the test and a new one.
 */
class RawProtocolTest extends InteropTestBase {

    private RawAmqp open() throws IOException {
        return RawAmqp.open(broker.host(), broker.port());
    }

    private RawAmqp openWithChannel() throws IOException {
        RawAmqp r = open();
        r.openChannel(1);
        return r;
    }

    @AfterEach
    void brokerStillServes() throws Exception {
        assertTrue(conn.isOpen(), "the connection opened before the test must survive");
        ch.queueDeclare("", false, true, true, null);
        try (Connection c = factory().newConnection()) {
            Channel x = c.createChannel();
            String q = x.queueDeclare().getQueue();
            x.basicPublish("", q, null, "still alive".getBytes(StandardCharsets.UTF_8));
            assertEquals("still alive", new String(getOrFail(x, q, true).getBody(), StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------ protocol header

    @ParameterizedTest
    @ValueSource(strings = {"414d515000000900", "414d515000000800", "414d515000000902", "48545450202f20474554",
            "000102030405060708090a0b0c0d0e0f"})
    void wrongProtocolHeaderGetsTheSupportedOneAndAClose(String hex) throws Exception {
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.write(HexFormat.of().parseHex(hex));
            assertArrayEquals(RawAmqp.PROTOCOL_HEADER, r.readUpTo(8), "server must answer with AMQP 0-9-1's header");
            assertTrue(r.closedByServerWithin(5_000), "server must close the socket");
        }
    }

    @Test
    void serverStartAdvertisesVersionMechanismsAndLocales() throws Exception {
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            RawAmqp.Frame start = r.readFrame();
            assertEquals(0, start.channel());
            start.expectMethod(10, 10);
            DataInputStream d = new DataInputStream(new ByteArrayInputStream(start.payload(), 4, start.payload().length - 4));
            assertEquals(0, d.readUnsignedByte(), "version-major");
            assertEquals(9, d.readUnsignedByte(), "version-minor");
            d.skipNBytes(d.readInt()); // server-properties
            byte[] mechanisms = new byte[d.readInt()];
            d.readFully(mechanisms);
            byte[] locales = new byte[d.readInt()];
            d.readFully(locales);
            Set<String> mech = Set.of(new String(mechanisms, StandardCharsets.UTF_8).split(" "));
            assertTrue(mech.contains("PLAIN") && mech.contains("AMQPLAIN"), "mechanisms " + mech);
            assertEquals("en_US", new String(locales, StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------ handshake failures

    @Test
    void wrongPasswordWithAuthenticationFailureCloseCapabilityGets403() throws Exception {
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            byte[] caps = new RawAmqp.Buf().shortstr("authentication_failure_close").octet('t').octet(1).bytes();
            byte[] clientProps = new RawAmqp.Buf().shortstr("capabilities").octet('F').longstr(caps).bytes();
            r.send(METHOD, 0, method(10, 11).table(clientProps).shortstr("PLAIN")
                    .longstr(RawAmqp.plainResponse("guest", "wrong")).shortstr("en_US").bytes());
            RawAmqp.Close close = r.expectConnectionClose();
            assertEquals(403, close.code());
            assertTrue(close.text().startsWith("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN"),
                    close.text());
        }
    }

    @Test
    void wrongPasswordWithoutTheCapabilityJustClosesTheSocket() throws Exception {
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            r.send(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("guest", "wrong")));
            assertClosedWithoutProgress(r, Set.of()); // RabbitMQ sends no close to a client without the capability
        }
    }

    @Test
    void unknownMechanismClosesTheConnection() throws Exception {
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            r.send(METHOD, 0, RawAmqp.startOk("CRAM-MD5", new byte[]{1}));
            assertClosedWithoutProgress(r, Set.of()); // RabbitMQ: a silent close before login
        }
    }

    @Test
    void frameMaxBelow4096IsRefused() throws Exception {
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            r.send(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("guest", "guest")));
            r.readFrame().expectMethod(10, 30);
            r.send(METHOD, 0, method(10, 31).s(2047).l(1000).s(0).bytes());
            r.send(METHOD, 0, method(10, 40).shortstr("/").shortstr("").octet(0).bytes());
            assertClosedWithoutProgress(r, Set.of(501, 503, 530));
        }
    }

    @Test
    void frameMaxAboveTheServersIsRefused() throws Exception {
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            r.send(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("guest", "guest")));
            r.readFrame().expectMethod(10, 30);
            r.send(METHOD, 0, method(10, 31).s(2047).l(200_000).s(0).bytes());
            r.send(METHOD, 0, method(10, 40).shortstr("/").shortstr("").octet(0).bytes());
            assertClosedWithoutProgress(r, Set.of(501, 503, 530));
        }
    }

    @Test
    void channelMaxZeroInTuneOkIsRefused() throws Exception {
        // RabbitMQ 3.10 refuses "no limit" (0) because it exceeds its own channel_max of 2047
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            r.send(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("guest", "guest")));
            RawAmqp.Frame tune = r.readFrame();
            tune.expectMethod(10, 30);
            DataInputStream d = new DataInputStream(new ByteArrayInputStream(tune.payload(), 4, 8));
            assertEquals(2047, d.readUnsignedShort(), "server channel_max");
            assertEquals(131072, d.readInt(), "server frame_max");
            assertEquals(60, d.readUnsignedShort(), "server heartbeat");
            r.send(METHOD, 0, method(10, 31).s(0).l(131072).s(0).bytes());
            r.send(METHOD, 0, method(10, 40).shortstr("/").shortstr("").octet(0).bytes());
            assertClosedWithoutProgress(r, Set.of(501, 503, 530));
        }
    }

    @Test
    void unknownVhostGets530OnOpen() throws Exception {
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.handshake(2047, 131072, 0);
            r.send(METHOD, 0, method(10, 40).shortstr("nohost").shortstr("").octet(0).bytes());
            RawAmqp.Close close = r.expectConnectionClose();
            assertEquals(530, close.code());
            assertEquals("NOT_ALLOWED - vhost nohost not found", close.text());
            assertEquals(10, close.classId());
            assertEquals(40, close.methodId());
        }
    }

    // ------------------------------------------------------------------ heartbeats

    @Test
    void serverSendsHeartbeatsAndDropsASilentClient() throws Exception {
        try (RawAmqp r = RawAmqp.open(broker.host(), broker.port(), 2047, 131072, 1)) {
            long t0 = System.currentTimeMillis();
            RawAmqp.Frame f = r.readFrame();
            assertEquals(HEARTBEAT, f.type(), "expected a heartbeat, got " + f);
            assertEquals(0, f.channel());
            assertEquals(0, f.payload().length);
            assertTrue(System.currentTimeMillis() - t0 < 2_000, "first heartbeat within the interval");
            // we never send anything: the server must give up on us after a few missed intervals
            assertTrue(r.closedByServerWithin(10_000), "silent client must be disconnected");
            assertTrue(System.currentTimeMillis() - t0 >= 1_500, "not before about two missed intervals");
        }
    }

    // ------------------------------------------------------------------ frame errors (501)

    @Test
    void garbageAfterHandshakeIsAFrameError() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.write("hello world garbage!!".getBytes(StandardCharsets.US_ASCII));
            assertConnectionClose(r, 501, "FRAME_ERROR");
        }
    }

    @Test
    void frameHeaderAnnouncingMoreThanFrameMaxIsAFrameError() throws Exception {
        try (RawAmqp r = open()) {
            // only the 7-byte header: the size check must not wait for the payload
            r.write(new RawAmqp.Buf().octet(METHOD).s(0).l(10_000_000).bytes());
            assertConnectionClose(r, 501, "FRAME_ERROR");
        }
    }

    @Test
    void bodyFrameLargerThanFrameMaxIsAFrameError() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, "", "nowhere");
            r.contentHeader(1, 60, 200_000);
            byte[] f = RawAmqp.frame(BODY, 1, new byte[200_000]);
            r.write(java.util.Arrays.copyOf(f, 7));
            Thread.sleep(50);
            r.write(java.util.Arrays.copyOfRange(f, 7, f.length));
            assertConnectionClose(r, 501, "FRAME_ERROR");
        }
    }

    @Test
    void bodyFrameLargerThanANegotiatedSmallFrameMaxIsAFrameError() throws Exception {
        try (RawAmqp r = RawAmqp.open(broker.host(), broker.port(), 2047, 4096, 0)) {
            r.openChannel(1);
            r.publishMethod(1, "", "nowhere");
            r.contentHeader(1, 60, 20_000);
            byte[] f = RawAmqp.frame(BODY, 1, new byte[20_000]);
            r.write(java.util.Arrays.copyOf(f, 7));
            Thread.sleep(50);
            r.write(java.util.Arrays.copyOfRange(f, 7, f.length));
            assertConnectionClose(r, 501, "FRAME_ERROR");
        }
    }

    @Test
    void frameOfExactlyFrameMaxIsAccepted() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, null);
        try (RawAmqp r = RawAmqp.open(broker.host(), broker.port(), 2047, 4096, 0)) {
            r.openChannel(1);
            r.publishMethod(1, "", q);
            r.contentHeader(1, 60, 2 * 4088);
            r.send(BODY, 1, new byte[4088]); // 4088 + 8 bytes of framing = frame_max
            r.send(BODY, 1, new byte[4088]);
            awaitMessageCount(q, 1);
        }
        assertEquals(2 * 4088, getOrFail(ch, q, true).getBody().length);
    }

    @Test
    void badFrameEndIsAFrameError() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.write(RawAmqp.frame(METHOD, 1, method(60, 10).l(0).s(10).octet(0).bytes(), 0x00));
            assertConnectionClose(r, 501, "FRAME_ERROR");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 7, 42})
    void unknownFrameTypeIsAFrameError(int type) throws Exception {
        try (RawAmqp r = open()) {
            r.send(type, 0, "abc".getBytes(StandardCharsets.US_ASCII));
            assertConnectionClose(r, 501, "FRAME_ERROR");
        }
    }

    @Test
    void truncatedMethodArgumentsAreAFrameError() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.send(METHOD, 1, method(50, 10).octet(0).bytes());
            RawAmqp.Close c = assertConnectionClose(r, 501, "FRAME_ERROR");
            assertEquals(50, c.classId());
            assertEquals(10, c.methodId());
        }
    }

    /**
     * RabbitMQ 3.10 has no reply for an unknown class or method: its reader process crashes and the socket is closed
     * without a connection.close. A connection.close with 503 or 540 is accepted too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"99/99", "60/99", "10/99"})
    void unknownClassOrMethodClosesTheConnection(String id) throws Exception {
        String[] p = id.split("/");
        try (RawAmqp r = openWithChannel()) {
            int chan = p[0].equals("10") ? 0 : 1;
            r.send(METHOD, chan, method(Integer.parseInt(p[0]), Integer.parseInt(p[1])).bytes());
            assertClosedWithoutProgress(r, Set.of(503, 540));
        }
    }

    // ------------------------------------------------------------------ channel errors (504)

    @Test
    void methodOnUnopenedChannelIsAChannelError() throws Exception {
        try (RawAmqp r = open()) {
            r.send(METHOD, 5, method(50, 10).s(0).shortstr("q").octet(0).table(new byte[0]).bytes());
            RawAmqp.Close c = assertConnectionClose(r, 504, "CHANNEL_ERROR - expected 'channel.open'");
            assertEquals(50, c.classId());
            assertEquals(10, c.methodId());
        }
    }

    @Test
    void channelCloseOnUnopenedChannelIsAChannelError() throws Exception {
        try (RawAmqp r = open()) {
            r.send(METHOD, 3, method(20, 40).s(200).shortstr("bye").s(0).s(0).bytes());
            assertConnectionClose(r, 504, "CHANNEL_ERROR - expected 'channel.open'");
        }
    }

    @Test
    void secondChannelOpenIsAChannelError() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.send(METHOD, 1, method(20, 10).shortstr("").bytes());
            RawAmqp.Close c = assertConnectionClose(r, 504, "CHANNEL_ERROR - second 'channel.open' seen");
            assertEquals(20, c.classId());
            assertEquals(10, c.methodId());
        }
    }

    @Test
    void openingMoreChannelsThanChannelMaxIsNotAllowed() throws Exception {
        try (RawAmqp r = RawAmqp.open(broker.host(), broker.port(), 2, 131072, 0)) {
            r.openChannel(1);
            r.openChannel(2);
            r.send(METHOD, 3, method(20, 10).shortstr("").bytes());
            RawAmqp.Close c = assertConnectionClose(r, 530, "NOT_ALLOWED");
            assertEquals("NOT_ALLOWED - number of channels opened (2) has reached the negotiated channel_max (2)", c.text());
        }
    }

    @Test
    void channelMaxLimitsTheNumberOfOpenChannelsNotTheirIds() throws Exception {
        // RabbitMQ counts open channels; a channel number above channel_max is accepted while the count is below it
        try (RawAmqp r = RawAmqp.open(broker.host(), broker.port(), 2, 131072, 0)) {
            r.openChannel(5);
            r.openChannel(2047);
        }
    }

    // ------------------------------------------------------------------ content framing (505)

    @Test
    void contentHeaderWithoutPublishIsUnexpected() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.contentHeader(1, 60, 10);
            assertConnectionClose(r, 505, "UNEXPECTED_FRAME");
        }
    }

    @Test
    void bodyWithoutPublishIsUnexpected() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.send(BODY, 1, "hello".getBytes(StandardCharsets.US_ASCII));
            assertConnectionClose(r, 505, "UNEXPECTED_FRAME");
        }
    }

    @Test
    void methodInsteadOfContentHeaderIsUnexpected() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, "", "x");
            r.publishMethod(1, "", "x");
            RawAmqp.Close c = assertConnectionClose(r, 505, "UNEXPECTED_FRAME");
            assertEquals(60, c.classId());
            assertEquals(40, c.methodId());
        }
    }

    @Test
    void contentHeaderOfAnotherClassIsUnexpected() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, "", "x");
            r.contentHeader(1, 50, 3);
            assertConnectionClose(r, 505, "UNEXPECTED_FRAME");
        }
    }

    /**
     * RabbitMQ does not notice the excess when the body frame arrives; it fails on the next frame of the channel (still
     * waiting for body). Either way the connection is closed with 505 and nothing is enqueued.
     */
    @Test
    void bodyLongerThanAnnouncedIsUnexpected() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, null);
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, "", q);
            r.contentHeader(1, 60, 3);
            r.send(BODY, 1, "hello".getBytes(StandardCharsets.US_ASCII));
            r.send(METHOD, 1, method(60, 10).l(0).s(10).octet(0).bytes()); // basic.qos
            assertConnectionClose(r, 505, "UNEXPECTED_FRAME");
        }
        assertEquals(0, ch.messageCount(q));
    }

    @Test
    void extraBodyFrameAfterCompleteContentIsUnexpected() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, null);
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, "", q);
            r.contentHeader(1, 60, 3);
            r.send(BODY, 1, "abc".getBytes(StandardCharsets.US_ASCII));
            r.send(BODY, 1, "d".getBytes(StandardCharsets.US_ASCII));
            assertConnectionClose(r, 505, "UNEXPECTED_FRAME");
        }
        awaitMessageCount(q, 1); // the complete message was published
        assertEquals("abc", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.US_ASCII));
    }

    @Test
    void heartbeatOnANonZeroChannelIsUnexpected() throws Exception {
        try (RawAmqp r = openWithChannel()) {
            r.send(HEARTBEAT, 1, new byte[0]);
            assertConnectionClose(r, 505, "UNEXPECTED_FRAME");
        }
    }

    // ------------------------------------------------------------------ after channel.close

    @Test
    void afterChannelCloseTheServerIgnoresEverythingButCloseOk() throws Exception {
        String missing = uniqueName("missing");
        String other = queueName();
        try (RawAmqp r = openWithChannel()) {
            r.send(METHOD, 1, method(50, 10).s(0).shortstr(missing).octet(1).table(new byte[0]).bytes());
            // sent before the client could have seen channel.close: all of it must be dropped
            r.send(METHOD, 1, method(50, 10).s(0).shortstr(other).octet(0).table(new byte[0]).bytes());
            r.publishMethod(1, "", other);
            r.contentHeader(1, 60, 3);
            r.send(BODY, 1, "abc".getBytes(StandardCharsets.US_ASCII));
            RawAmqp.Close c = r.expectChannelClose(1);
            assertEquals(404, c.code());
            assertEquals("NOT_FOUND - no queue '" + missing + "' in vhost '/'", c.text());
            assertEquals(50, c.classId());
            assertEquals(10, c.methodId());
            r.send(METHOD, 1, method(20, 41).bytes()); // close-ok
            r.openChannel(1); // the channel number is free again
            r.send(METHOD, 1, method(50, 10).s(0).shortstr(other).octet(1).table(new byte[0]).bytes());
            RawAmqp.Close c2 = r.expectChannelClose(1);
            assertEquals(404, c2.code(), "the declare sent after the error must have been ignored");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static RawAmqp.Close assertConnectionClose(RawAmqp r, int code, String textPrefix) throws IOException {
        RawAmqp.Close c;
        try {
            c = r.expectConnectionClose();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no connection.close within 5 s (expected " + code + " " + textPrefix + ")");
        }
        RawAmqp.Close got = c;
        assertEquals(code, got.code(), () -> "reply code; text: " + got.text());
        assertTrue(got.text().startsWith(textPrefix), () -> "reply text '" + got.text() + "' should start with " + textPrefix);
        assertTrue(r.closedByServerWithin(5_000), "socket must be closed after close-ok");
        return c;
    }

    /**
     * The server must close the socket without ever opening the connection; a connection.close on the way is allowed
     * if its code is one of {@code allowedCodes}.
     */
    private static void assertClosedWithoutProgress(RawAmqp r, Set<Integer> allowedCodes) throws IOException {
        r.socket.setSoTimeout(15_000);
        while (true) {
            RawAmqp.Frame f;
            try {
                f = r.readFrame();
            } catch (SocketTimeoutException e) {
                fail("server neither closed the connection nor answered within 15 s");
                return;
            } catch (java.io.EOFException | SocketException e) {
                return; // closed
            }
            if (f.isMethod(10, 50)) {
                RawAmqp.Close c = f.close();
                assertTrue(allowedCodes.contains(c.code()), () -> "unexpected close " + c);
                r.send(METHOD, 0, method(10, 51).bytes());
                assertTrue(r.closedByServerWithin(5_000), "socket must be closed after close-ok");
                return;
            }
            if (f.type() != HEARTBEAT) {
                fail("unexpected frame " + f + " instead of a close");
            }
        }
    }
}
