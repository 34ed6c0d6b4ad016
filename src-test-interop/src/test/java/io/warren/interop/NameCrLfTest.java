package io.warren.interop;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CR and LF in exchange and queue names, as RabbitMQ 3.10 treats them (rabbit_channel strip_cr_lf, observed): they
 * are removed from the names of exchange.declare/delete/bind/unbind and queue.declare/bind/unbind/delete (passive
 * declares too); basic.publish, basic.consume, basic.get and queue.purge take names as they come, and routing keys
 * are never changed.
 */
class NameCrLfTest extends InteropTestBase {

    private static String crlf(String name) {
        int mid = name.length() / 2;
        return name.substring(0, mid) + "\r\n" + name.substring(mid, mid + 1) + "\n" + name.substring(mid + 1) + "\r";
    }

    @Test
    void declaresBindsAndDeletesUseTheNameWithoutCrLf() throws Exception {
        String q = queueName();
        String x = exchangeName();
        assertEquals(q, ch.queueDeclare(crlf(q), false, false, false, null).getQueue());
        assertEquals(q, ch.queueDeclarePassive(crlf(q)).getQueue());
        ch.exchangeDeclare(crlf(x), "direct");
        ch.exchangeDeclarePassive(x);
        ch.exchangeDeclarePassive(crlf(x));
        ch.queueBind(crlf(q), crlf(x), "key");

        ch.basicPublish(x, "key", null, "routed".getBytes(StandardCharsets.UTF_8));
        assertEquals("routed", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.UTF_8));

        ch.queueUnbind(crlf(q), crlf(x), "key");
        ch.basicPublish(x, "key", null, "dropped".getBytes(StandardCharsets.UTF_8));
        ch.basicPublish("", q, null, "marker".getBytes(StandardCharsets.UTF_8));
        assertEquals("marker", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.UTF_8));

        ch.exchangeDelete(crlf(x));
        assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(x));
        Channel c2 = conn.createChannel();
        c2.queueDelete(crlf(q));
        assertChannelError(404, c2, () -> c2.queueDeclarePassive(q));
        assertTrue(conn.isOpen());
    }

    @Test
    void exchangeToExchangeBindingsUseTheNamesWithoutCrLf() throws Exception {
        String source = exchangeName("src");
        String destination = exchangeName("dst");
        String q = declareQueue();
        ch.exchangeDeclare(source, "fanout");
        ch.exchangeDeclare(destination, "fanout");
        ch.queueBind(q, destination, "");
        ch.exchangeBind(crlf(destination), crlf(source), "");
        ch.basicPublish(source, "", null, "via e2e".getBytes(StandardCharsets.UTF_8));
        assertEquals("via e2e", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.UTF_8));
        ch.exchangeUnbind(crlf(destination), crlf(source), "");
        ch.basicPublish(source, "", null, "dropped".getBytes(StandardCharsets.UTF_8));
        ch.basicPublish("", q, null, "marker".getBytes(StandardCharsets.UTF_8));
        assertEquals("marker", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void aNameOfOnlyCrLfIsServerNamed() throws Exception {
        String q = deleteQueueAfter(ch.queueDeclare("\r\n", false, true, true, null).getQueue());
        assertTrue(q.startsWith("amq.gen-"), q);
    }

    @Test
    void theReservedPrefixCannotHideBehindCrLf() {
        String text = assertChannelError(403, ch, () -> ch.exchangeDeclare("amq.\r\nhidden", "fanout"));
        assertEquals("ACCESS_REFUSED - exchange name 'amq.hidden' contains reserved prefix 'amq.*'", text);
    }

    @Test
    void publishConsumeGetAndPurgeTakeNamesAsTheyCome() throws Exception {
        String q = declareQueue();
        String x = exchangeName();
        ch.exchangeDeclare(x, "fanout");
        String withLf = crlf(q);
        String missing = "NOT_FOUND - no queue '" + withLf + "' in vhost '/'";
        assertEquals(missing, assertChannelError(404, ch, () -> ch.basicConsume(withLf, true, (t, d) -> { }, t -> { })));
        Channel c2 = conn.createChannel();
        assertEquals(missing, assertChannelError(404, c2, () -> c2.basicGet(withLf, true)));
        Channel c3 = conn.createChannel();
        assertEquals(missing, assertChannelError(404, c3, () -> c3.queuePurge(withLf)));
        Channel c4 = conn.createChannel();
        c4.basicPublish(crlf(x), "", null, new byte[1]);
        assertEquals("NOT_FOUND - no exchange '" + crlf(x) + "' in vhost '/'", awaitChannelError(404, c4));

        // the default exchange routes by the routing key as it is: "q\n" is not "q"
        Channel c5 = conn.createChannel();
        c5.basicPublish("", withLf, null, "lost".getBytes(StandardCharsets.UTF_8));
        c5.basicPublish("", q, null, "marker".getBytes(StandardCharsets.UTF_8));
        assertEquals("marker", new String(getOrFail(c5, q, true).getBody(), StandardCharsets.UTF_8));
        assertNull(c5.basicGet(q, true));
        assertTrue(conn.isOpen());
    }

    @Test
    void routingKeysKeepTheirCrLf() throws Exception {
        String q = declareQueue();
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        ch.queueBind(q, x, "k\n");
        ch.basicPublish(x, "k", null, "plain key".getBytes(StandardCharsets.UTF_8));
        ch.basicPublish(x, "k\n", null, "key with LF".getBytes(StandardCharsets.UTF_8));
        var r = getOrFail(ch, q, true);
        assertEquals("key with LF", new String(r.getBody(), StandardCharsets.UTF_8));
        assertEquals("k\n", r.getEnvelope().getRoutingKey());
        assertNull(ch.basicGet(q, true));
    }
}
