package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Errors about names of the maximum length (255 bytes): the reply text does not fit a shortstr, so it is cut to its
 * first 252 bytes plus "..." as RabbitMQ cuts it (observed on 3.10), and the error keeps its own code and scope — a
 * 404 closes the channel only, never the connection with 541 INTERNAL_ERROR.
 */
class LongReplyTextTest extends InteropTestBase {

    /** A name of exactly 255 bytes that no other test run uses. */
    private static String longName(char fill) {
        String prefix = uniqueName("long") + ".";
        return prefix + String.valueOf(fill).repeat(255 - prefix.length());
    }

    private static String cut(String text) {
        assertTrue(text.length() > 255, "the test needs a text that does not fit");
        return text.substring(0, 252) + "...";
    }

    private static void assertFitsShortStr(String text) {
        assertEquals(255, text.getBytes(StandardCharsets.UTF_8).length, text);
    }

    /** The connection still works: a new channel declares, publishes and gets. */
    private void assertConnectionUsable() throws Exception {
        assertTrue(conn.isOpen(), "the connection must survive a channel error");
        Channel c = conn.createChannel();
        String q = queueName("after");
        c.queueDeclare(q, false, false, false, null);
        c.basicPublish("", q, null, "still here".getBytes(StandardCharsets.UTF_8));
        assertEquals("still here", new String(getOrFail(c, q, true).getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void passiveDeclareOfAMissingLongQueueNameIs404OnTheChannel() throws Exception {
        String q = longName('q');
        String text = assertChannelError(404, ch, () -> ch.queueDeclarePassive(q));
        assertEquals(cut("NOT_FOUND - no queue '" + q + "' in vhost '/'"), text);
        assertFitsShortStr(text);
        assertConnectionUsable();
    }

    @Test
    void consumeGetAndPurgeOfAMissingLongQueueNameAre404() throws Exception {
        String q = longName('c');
        String expected = cut("NOT_FOUND - no queue '" + q + "' in vhost '/'");
        assertEquals(expected, assertChannelError(404, ch, () -> ch.basicConsume(q, true, (t, d) -> { }, t -> { })));
        Channel c2 = conn.createChannel();
        assertEquals(expected, assertChannelError(404, c2, () -> c2.basicGet(q, true)));
        Channel c3 = conn.createChannel();
        assertEquals(expected, assertChannelError(404, c3, () -> c3.queuePurge(q)));
        assertConnectionUsable();
    }

    @Test
    void missingLongExchangeNameIs404ForDeclareBindAndPublish() throws Exception {
        String x = longName('x');
        String expected = cut("NOT_FOUND - no exchange '" + x + "' in vhost '/'");
        assertEquals(expected, assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(x)));
        Channel c2 = conn.createChannel();
        String q = queueName("bind");
        c2.queueDeclare(q, false, false, false, null);
        assertEquals(expected, assertChannelError(404, c2, () -> c2.queueBind(q, x, "k")));
        Channel c3 = conn.createChannel();
        c3.basicPublish(x, "k", null, new byte[1]);
        assertEquals(expected, awaitChannelError(404, c3));
        assertConnectionUsable();
    }

    /** Warren-only: RabbitMQ cuts at byte 252 even inside a character and so sends invalid UTF-8. */
    @Test
    void aMultiByteNameIsCutOnACharacterBoundary() throws Exception {
        assumeFalse("RabbitMQ".equals(String.valueOf(conn.getServerProperties().get("product"))),
                "RabbitMQ cuts inside the character");
        // 'NOT_FOUND - no queue 'x' is 23 bytes: the 252-byte cut falls inside the 2-byte 'é's
        String q = "x" + "é".repeat(127);
        String text = assertChannelError(404, ch, () -> ch.queueDeclarePassive(q));
        assertTrue(text.startsWith("NOT_FOUND - no queue 'xéé"), text);
        assertTrue(text.endsWith("é..."), text);
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= 255, text);
        assertConnectionUsable();
    }

    @Test
    void aConnectionErrorWithALongTextStillClosesTheConnectionProperly() throws Exception {
        Connection other = newConnection();
        String q = declareQueue();
        String tag = longName('t');
        ch.basicConsume(q, true, tag, (t, d) -> { }, t -> { });
        String text = assertConnectionError(530, conn, () -> ch.basicConsume(q, true, tag, (t, d) -> { }, t -> { }));
        assertEquals(cut("NOT_ALLOWED - attempt to reuse consumer tag '" + tag + "'"), text);
        assertFitsShortStr(text);
        // everybody else is unaffected
        Channel oc = other.createChannel();
        oc.basicPublish("", q, null, "for the other".getBytes(StandardCharsets.UTF_8));
        assertEquals("for the other", new String(getOrFail(oc, q, true).getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownExchangeTypeWithALongNameIs503() throws Exception {
        String type = "t".repeat(255);
        String x = exchangeName();
        String text = assertConnectionError(503, conn, () -> ch.exchangeDeclare(x, type));
        assertTrue(text.startsWith("COMMAND_INVALID - "), text);
        assertTrue(text.endsWith("..."), text);
        assertFitsShortStr(text);
        try (Connection c = factory().newConnection()) {
            assertTrue(c.createChannel().isOpen());
        }
    }
}
