package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redeclaring a queue with a different {@code exclusive} flag: RabbitMQ 3.10 checks the owner strictly on redeclare
 * (rabbit_amqqueue check_exclusive_access ... strict), so this is 405 RESOURCE_LOCKED from the owning connection and
 * from any other, before the 406 checks of the other flags. The queue itself is unharmed.
 */
class ExclusiveRedeclareTest extends InteropTestBase {

    /** RabbitMQ's text, cut to a shortstr as RabbitMQ cuts it (the test's queue names make it long). */
    static String locked(String q) {
        String text = "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '" + q + "' in vhost '/'. It"
                + " could be originally declared on another connection or the exclusive property value does not match"
                + " that of the original declaration.";
        return text.length() <= 255 ? text : text.substring(0, 252) + "...";
    }

    private void assertHolds(Channel c, String q, String body) throws Exception {
        c.basicPublish("", q, null, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(body, new String(getOrFail(c, q, true).getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void exclusiveRedeclareOfASharedQueueIs405() throws Exception {
        String q = declareQueue();
        assertEquals(locked(q), assertChannelError(405, ch, () -> ch.queueDeclare(q, false, true, false, null)));
        Channel otherCh = newConnection().createChannel();
        assertEquals(locked(q), assertChannelError(405, otherCh, () -> otherCh.queueDeclare(q, false, true, false, null)));
        Channel c2 = conn.createChannel();
        assertEquals(q, c2.queueDeclare(q, false, false, false, null).getQueue()); // the same flags still fine
        assertHolds(c2, q, "shared still works");
    }

    @Test
    void sharedRedeclareOfAnExclusiveQueueIs405EvenForItsOwner() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, true, false, null);
        assertEquals(locked(q), assertChannelError(405, ch, () -> ch.queueDeclare(q, false, false, false, null)));
        Channel otherCh = newConnection().createChannel();
        assertEquals(locked(q), assertChannelError(405, otherCh, () -> otherCh.queueDeclare(q, false, false, false, null)));
        Channel c2 = conn.createChannel();
        assertEquals(q, c2.queueDeclare(q, false, true, false, null).getQueue());
        assertHolds(c2, q, "exclusive still works");
    }

    @Test
    void theExclusiveCheckComesBeforeTheOtherFlags() throws Exception {
        String q = declareQueue();
        // durable and auto_delete differ too, but RabbitMQ reports the exclusive flag first
        assertEquals(locked(q), assertChannelError(405, ch, () -> ch.queueDeclare(q, true, true, true, null)));
        Connection other = newConnection();
        Channel oc = other.createChannel();
        String text = assertChannelError(406, oc, () -> oc.queueDeclare(q, true, false, false, null));
        assertTrue(text.startsWith("PRECONDITION_FAILED - inequivalent arg 'durable'"), text);
        assertTrue(conn.isOpen() && other.isOpen());
    }
}
