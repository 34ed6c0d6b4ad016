package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.warren.interop.RawAmqp.BODY;
import static io.warren.interop.RawAmqp.HEADER;
import static io.warren.interop.RawAmqp.METHOD;
import static io.warren.interop.RawAmqp.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A publisher that lies about its content: refused publishes, impossible body sizes, malformed properties and
 * routing keys no delivery could carry. Each case checks the refusal (RabbitMQ 3.10's code and text where it has
 * one) and that nothing else is harmed: the connection opened before the test, a message stored before it, and a
 * new connection all keep working.
 */
class HostilePublishTest extends InteropTestBase {
    private static final long DEFAULT_MAX = 128L * 1024 * 1024;

    private String stored;

    @AfterEach
    void othersAreUnharmed() throws Exception {
        assertTrue(conn.isOpen(), "the connection opened before the test must survive");
        if (stored != null) {
            assertEquals("stored before", new String(getOrFail(ch, stored, true).getBody(), StandardCharsets.UTF_8));
            assertNull(ch.basicGet(stored, true), "nothing else reached the queue");
        }
        try (Connection c = factory().newConnection()) {
            Channel x = c.createChannel();
            String q = x.queueDeclare().getQueue();
            x.basicPublish("", q, null, "still alive".getBytes(StandardCharsets.UTF_8));
            assertEquals("still alive", new String(getOrFail(x, q, true).getBody(), StandardCharsets.UTF_8));
        }
    }

    /** A queue holding one message; the test's hostile publishes address it, and it must still hold just that. */
    private String storedQueue() throws IOException {
        stored = declareQueue();
        ch.basicPublish("", stored, null, "stored before".getBytes(StandardCharsets.UTF_8));
        return stored;
    }

    private RawAmqp openWithChannel() throws IOException {
        RawAmqp r = RawAmqp.open(broker.host(), broker.port());
        r.openChannel(1);
        return r;
    }

    private static void header(RawAmqp r, int ch, long bodySize, byte[] properties) throws IOException {
        r.send(HEADER, ch, new RawAmqp.Buf().s(60).s(0).ll(bodySize).raw(properties).bytes());
    }

    // ------------------------------------------------------------------ refused at the publish

    @Test
    void publishToAMissingExchangeIsRefusedAndItsContentIgnored() throws Exception {
        String q = storedQueue();
        String missing = uniqueName("missing");
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, missing, q);
            r.contentHeader(1, 60, 3);
            r.send(BODY, 1, "abc".getBytes(StandardCharsets.US_ASCII));
            // sent before the client could see channel.close: must be dropped as well
            r.publishMethod(1, "", q);
            r.contentHeader(1, 60, 3);
            r.send(BODY, 1, "xyz".getBytes(StandardCharsets.US_ASCII));
            RawAmqp.Close c = r.expectChannelClose(1);
            assertEquals(404, c.code());
            assertEquals("NOT_FOUND - no exchange '" + missing + "' in vhost '/'", c.text());
            assertEquals(60, c.classId());
            assertEquals(40, c.methodId());
            r.send(METHOD, 1, method(20, 41).bytes());
            r.openChannel(1); // the connection is fine and the channel number free again
        }
    }

    @Test
    void aRefusedPublishAnnouncingAHugeBodyIsAnsweredBeforeTheBody() throws Exception {
        assumeFalse(WarrenBroker.external(), "RabbitMQ 3.10 answers only once the whole announced body arrived");
        String missing = uniqueName("missing");
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, missing, "k");
            r.contentHeader(1, 60, 100_000_000);
            r.send(BODY, 1, new byte[100]);
            assertEquals(404, r.expectChannelClose(1).code());
            r.send(BODY, 1, new byte[100]); // still in flight from the client: ignored, not an error
            r.send(METHOD, 1, method(20, 41).bytes());
            r.openChannel(2);
        }
    }

    @Test
    void aHeaderAnnouncingMoreThanMaxMessageSizeIsRefusedAtOnce() throws Exception {
        assumeFalse(WarrenBroker.external(), "RabbitMQ 3.10 checks the size once the whole body arrived");
        String q = storedQueue();
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, "", q);
            r.contentHeader(1, 60, 200L * 1024 * 1024);
            r.send(BODY, 1, "abc".getBytes(StandardCharsets.US_ASCII));
            RawAmqp.Close c = r.expectChannelClose(1);
            assertEquals(406, c.code());
            assertEquals("PRECONDITION_FAILED - message size " + 200L * 1024 * 1024
                    + " is larger than configured max size " + DEFAULT_MAX, c.text());
            assertEquals(60, c.classId());
            assertEquals(40, c.methodId());
            r.openChannel(2);
        }
    }

    /** The body size is an unsigned 64-bit field: from 2^63 on it reads as a negative long. */
    @ParameterizedTest
    @ValueSource(strings = {"8000000000000000", "ffffffffffffffff", "8000000000000001"})
    void aBodySizeOf2To63OrMoreIsRefusedAsTooLarge(String hex) throws Exception {
        assumeFalse(WarrenBroker.external(), "RabbitMQ 3.10 waits for that many bytes");
        String q = storedQueue();
        long size = HexFormat.fromHexDigitsToLong(hex);
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, "", q);
            r.contentHeader(1, 60, size);
            r.send(BODY, 1, "abc".getBytes(StandardCharsets.US_ASCII));
            RawAmqp.Close c = r.expectChannelClose(1);
            assertEquals(406, c.code());
            assertEquals("PRECONDITION_FAILED - message size " + Long.toUnsignedString(size)
                    + " is larger than configured max size " + DEFAULT_MAX, c.text());
            r.openChannel(2);
        }
    }

    // ------------------------------------------------------------------ malformed properties

    /**
     * Properties that do not parse close the connection with 502 SYNTAX_ERROR (the spec's code for illegal field
     * values); RabbitMQ 3.10's channel crashes on them instead and answers 541 INTERNAL_ERROR. Either way nothing
     * is enqueued. The cases include ones the broker used to enqueue (trailing bytes, flags it did not look at).
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "8000",                     // content-type flagged, missing
            "80000a6162",               // content-type of 10 bytes, 2 present
            "0000616263",               // no properties, then trailing bytes
            "2000000000106162",         // headers table longer than what follows
            "20000000000501613f0000",   // headers table with an unknown field type '?'
            "200000000005016141ffff",   // headers array that runs past its table
            "10000101",                 // delivery-mode then a trailing byte
            "0040000000",               // timestamp of 3 bytes
            "80",                       // half a flags word
            ""})                        // no flags word at all
    void malformedPropertiesAreASyntaxError(String hex) throws Exception {
        String q = storedQueue();
        try (RawAmqp r = openWithChannel()) {
            r.publishMethod(1, "", q);
            header(r, 1, 3, HexFormat.of().parseHex(hex));
            r.send(BODY, 1, "abc".getBytes(StandardCharsets.US_ASCII));
            RawAmqp.Close c = r.expectConnectionClose();
            if (WarrenBroker.external()) {
                assertEquals(541, c.code(), c.text()); // RabbitMQ 3.10's crash
            } else {
                assertEquals(502, c.code(), c.text());
                assertTrue(c.text().startsWith("SYNTAX_ERROR - cannot decode properties"), c.text());
            }
        }
    }

    @Test
    void malformedPropertiesLogOneLineAndNoStackTrace() throws Exception {
        assumeFalse(WarrenBroker.external(), "reads the broker's log");
        long logStart = Files.size(broker.logFile());
        int port;
        try (RawAmqp r = openWithChannel()) {
            port = r.socket.getLocalPort();
            r.publishMethod(1, "", "k");
            header(r, 1, 3, HexFormat.of().parseHex("20000000000501613f0000"));
            r.send(BODY, 1, "abc".getBytes(StandardCharsets.US_ASCII));
            assertEquals(502, r.expectConnectionClose().code());
            assertTrue(r.closedByServerWithin(5_000));
        }
        // the broker logged the close before it sent it; the log is read after the socket closed
        String log = new String(Files.readAllBytes(broker.logFile()), StandardCharsets.UTF_8).substring((int) logStart);
        List<String> mine = log.lines().filter(l -> l.contains(":" + port)).toList();
        assertEquals(1, mine.stream().filter(l -> l.contains("SYNTAX_ERROR")).count(), () -> "log lines: " + mine);
        assertTrue(mine.stream().noneMatch(l -> l.contains("INTERNAL_ERROR") || l.contains("internal error")), mine::toString);
        assertTrue(log.lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), log);
    }

    // ------------------------------------------------------------------ routing keys no delivery could carry

    @Test
    void aDeadLetterRoutingKeyLongerThan255BytesIsRefused() throws Exception {
        assumeFalse(WarrenBroker.external(), "RabbitMQ 3.10 accepts it, then fails every delivery of the dead letter");
        String q = queueName();
        String tooLong = "é".repeat(128); // 256 UTF-8 bytes in 128 characters
        Map<String, Object> args = Map.of("x-dead-letter-exchange", "amq.direct", "x-dead-letter-routing-key", tooLong);
        String text = assertChannelError(406, ch, () -> ch.queueDeclare(q, false, false, false, args));
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-dead-letter-routing-key' for queue '" + q
                + "' in vhost '/': longer than 255 bytes", text);
        ch = conn.createChannel();
    }

    @Test
    void aDeadLetterRoutingKeyOfExactly255BytesWorks() throws Exception {
        String dlq = queueName("dlq");
        String src = queueName("src");
        String key = "é".repeat(127) + "k"; // 255 UTF-8 bytes
        ch.queueDeclare(dlq, false, false, false, null);
        ch.queueBind(dlq, "amq.direct", key);
        ch.queueDeclare(src, false, false, false, Map.of("x-dead-letter-exchange", "amq.direct",
                "x-dead-letter-routing-key", key));
        ch.basicPublish("", src, null, "dead".getBytes(StandardCharsets.UTF_8));
        ch.basicReject(getOrFail(ch, src, false).getEnvelope().getDeliveryTag(), false);
        var got = getOrFail(ch, dlq, true);
        assertEquals(key, got.getEnvelope().getRoutingKey());
        assertEquals("dead", new String(got.getBody(), StandardCharsets.UTF_8));
    }
}
