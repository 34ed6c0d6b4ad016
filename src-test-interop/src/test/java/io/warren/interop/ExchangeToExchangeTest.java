package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exchange-to-exchange bindings (exchange.bind / exchange.unbind): routing through chains keeps the routing key,
 * every queue gets at most one copy however many paths reach it, loops neither hang nor duplicate.
 */
class ExchangeToExchangeTest extends InteropTestBase {

    private String exchange(String hint, String type) throws Exception {
        String x = exchangeName(hint);
        ch.exchangeDeclare(x, type);
        return x;
    }

    private String queueBoundTo(String x, String key) throws Exception {
        String q = declareQueue();
        ch.queueBind(q, x, key);
        return q;
    }

    /** Publishes with confirms, so the messages are routed when this returns. */
    private void publish(String x, String key, String body) throws Exception {
        Channel c = conn.createChannel();
        c.confirmSelect();
        c.basicPublish(x, key, null, utf8(body));
        c.waitForConfirmsOrDie(5_000);
        c.close();
    }

    private List<String> drain(String q) throws Exception {
        List<String> out = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(q, true)) != null) {
            out.add(str(r.getBody()));
        }
        return out;
    }

    @Test
    void topicToFanoutToQueue() throws Exception {
        String topic = exchange("topic", "topic");
        String fanout = exchange("fanout", "fanout");
        assertInstanceOf(AMQP.Exchange.BindOk.class, ch.exchangeBind(fanout, topic, "orders.*.eu"));
        String q = queueBoundTo(fanout, "ignored-by-fanout");
        for (String key : List.of("orders.new.eu", "orders.new.us", "orders.eu", "orders.paid.eu")) {
            publish(topic, key, key);
        }
        assertEquals(List.of("orders.new.eu", "orders.paid.eu"), drain(q));
    }

    @Test
    void theRoutingKeyAndThePublishedExchangeAreKeptAlongTheChain() throws Exception {
        String a = exchange("a", "direct");
        String b = exchange("b", "direct");
        String c = exchange("c", "topic");
        ch.exchangeBind(b, a, "k.1");
        ch.exchangeBind(c, b, "k.1");
        String hit = queueBoundTo(c, "k.*");
        String miss = queueBoundTo(c, "other");
        String direct = queueBoundTo(b, "k.1");
        publish(a, "k.1", "through");
        publish(a, "k.2", "stops at a");
        GetResponse r = getOrFail(ch, hit, true);
        assertEquals("through", str(r.getBody()));
        assertEquals(a, r.getEnvelope().getExchange(), "the envelope names the exchange published to");
        assertEquals("k.1", r.getEnvelope().getRoutingKey());
        assertEquals(List.of("through"), drain(direct));
        assertEquals(List.of(), drain(hit));
        assertEquals(List.of(), drain(miss));
    }

    @Test
    void twoPathsToOneQueueDeliverOneCopy() throws Exception {
        String src = exchange("src", "topic");
        String mid = exchange("mid", "topic");
        ch.exchangeBind(mid, src, "a.*");
        ch.exchangeBind(mid, src, "*.b"); // a second binding between the same pair
        ch.exchangeBind(mid, src, "#");
        String q = queueBoundTo(mid, "a.b");
        ch.queueBind(q, src, "a.b"); // and a direct path
        ch.queueBind(q, src, "#");
        publish(src, "a.b", "once");
        assertEquals(List.of("once"), drain(q));
    }

    @Test
    void twoPathsReachingTwoQueuesGiveEachOneCopy() throws Exception {
        String top = exchange("top", "fanout");
        String left = exchange("left", "direct");
        String right = exchange("right", "topic");
        ch.exchangeBind(left, top, "");
        ch.exchangeBind(right, top, "");
        String q1 = queueBoundTo(left, "k");
        ch.queueBind(q1, right, "#");
        String q2 = queueBoundTo(right, "k");
        ch.queueBind(q2, left, "k");
        publish(top, "k", "m");
        assertEquals(List.of("m"), drain(q1));
        assertEquals(List.of("m"), drain(q2));
    }

    @Test
    void aLoopNeitherHangsNorDuplicates() throws Exception {
        String a = exchange("a", "fanout");
        String b = exchange("b", "fanout");
        String c = exchange("c", "topic");
        ch.exchangeBind(b, a, "");
        ch.exchangeBind(c, b, "");
        ch.exchangeBind(a, c, "#"); // a -> b -> c -> a
        String qa = queueBoundTo(a, "");
        String qc = queueBoundTo(c, "#");
        for (String x : List.of(a, b, c)) {
            publish(x, "k", "via " + x);
        }
        assertEquals(List.of("via " + a, "via " + b, "via " + c), drain(qa));
        assertEquals(List.of("via " + a, "via " + b, "via " + c), drain(qc));
    }

    @Test
    void anExchangeBoundToItselfDeliversOnce() throws Exception {
        String x = exchange("self", "fanout");
        ch.exchangeBind(x, x, "");
        String q = queueBoundTo(x, "");
        publish(x, "", "self");
        assertEquals(List.of("self"), drain(q));
        ch.exchangeUnbind(x, x, "");
    }

    @Test
    void unbindingOnePathLeavesTheOther() throws Exception {
        String src = exchange("src", "direct");
        String p1 = exchange("p1", "fanout");
        String p2 = exchange("p2", "fanout");
        ch.exchangeBind(p1, src, "k");
        ch.exchangeBind(p2, src, "k");
        String q = queueBoundTo(p1, "");
        ch.queueBind(q, p2, "");
        assertInstanceOf(AMQP.Exchange.UnbindOk.class, ch.exchangeUnbind(p1, src, "k"));
        publish(src, "k", "via p2");
        assertEquals(List.of("via p2"), drain(q));
        ch.exchangeUnbind(p2, src, "k");
        publish(src, "k", "nowhere");
        assertEquals(List.of(), drain(q));
    }

    /** Unbinding is idempotent in RabbitMQ 3.10: a missing binding, source, destination or queue is not an error. */
    @Test
    void unbindOfAMissingBindingOrMissingExchangesSucceeds() throws Exception {
        String a = exchange("a", "direct");
        String b = exchange("b", "direct");
        String q = declareQueue();
        String missing = uniqueName("missing");
        Map<String, org.junit.jupiter.api.function.ThrowingConsumer<Channel>> cases = new java.util.LinkedHashMap<>();
        cases.put("exchange.unbind of a binding never made", c -> c.exchangeUnbind(b, a, "never-bound"));
        cases.put("exchange.unbind from a missing source", c -> c.exchangeUnbind(a, missing, "k"));
        cases.put("exchange.unbind of a missing destination", c -> c.exchangeUnbind(missing, a, "k"));
        cases.put("queue.unbind from a missing exchange", c -> c.queueUnbind(q, missing, "k"));
        cases.put("queue.unbind of a missing queue", c -> c.queueUnbind(missing, a, "k"));
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, org.junit.jupiter.api.function.ThrowingConsumer<Channel>> e : cases.entrySet()) {
            Channel c = conn.createChannel();
            try {
                e.getValue().accept(c);
            } catch (Throwable t) {
                failures.add(e.getKey() + ": " + (t.getCause() != null ? t.getCause().getMessage() : t));
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void deletingTheDestinationExchangeRemovesTheBinding() throws Exception {
        String src = exchange("src", "fanout");
        String dst = exchange("dst", "fanout");
        ch.exchangeBind(dst, src, "");
        ch.exchangeDelete(dst, true); // only bound as a destination: if-unused allows it
        ch.exchangeDeclare(dst, "fanout");
        String q = queueBoundTo(dst, "");
        publish(src, "", "lost");
        assertEquals(List.of(), drain(q), "the old binding must be gone");
        ch.exchangeDelete(src, true); // no bindings left as a source
    }

    @Test
    void deletingTheSourceExchangeRemovesTheBinding() throws Exception {
        String src = exchange("src", "fanout");
        String dst = exchange("dst", "fanout");
        ch.exchangeBind(dst, src, "");
        String q = queueBoundTo(dst, "");
        ch.exchangeDelete(src);
        ch.exchangeDeclare(src, "fanout");
        publish(src, "", "lost");
        publish(dst, "", "kept");
        assertEquals(List.of("kept"), drain(q));
    }

    @Test
    void autoDeleteSourceGoesWhenItsLastExchangeBindingIsRemoved() throws Exception {
        String src = exchangeName("src");
        ch.exchangeDeclare(src, "direct", false, true, null);
        String d1 = exchange("d1", "fanout");
        String d2 = exchange("d2", "fanout");
        ch.exchangeBind(d1, src, "a");
        ch.exchangeBind(d2, src, "b");
        ch.exchangeUnbind(d1, src, "a");
        ch.exchangeDeclarePassive(src);
        ch.exchangeUnbind(d2, src, "b");
        assertEquals("NOT_FOUND - no exchange '" + src + "' in vhost '/'",
                assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(src)));
    }

    @Test
    void autoDeleteSourceGoesWhenItsDestinationExchangeIsDeleted() throws Exception {
        String src = exchangeName("src");
        ch.exchangeDeclare(src, "fanout", false, true, null);
        String dst = exchange("dst", "fanout");
        ch.exchangeBind(dst, src, "");
        ch.exchangeDelete(dst);
        assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(src));
    }

    @Test
    void autoDeleteExchangeThatIsOnlyADestinationStays() throws Exception {
        String src = exchange("src", "fanout");
        String dst = exchangeName("dst");
        ch.exchangeDeclare(dst, "fanout", false, true, null);
        ch.exchangeBind(dst, src, "");
        ch.exchangeUnbind(dst, src, "");
        ch.exchangeDeclarePassive(dst); // it never had a binding of its own as a source
    }

    @Test
    void autoDeleteCascadesUpAChain() throws Exception {
        String top = exchangeName("top");
        String mid = exchangeName("mid");
        ch.exchangeDeclare(top, "fanout", false, true, null);
        ch.exchangeDeclare(mid, "fanout", false, true, null);
        ch.exchangeBind(mid, top, "");
        String q = queueBoundTo(mid, "");
        ch.queueDelete(q); // mid loses its last binding, goes, and takes top's last binding with it
        Channel c1 = conn.createChannel();
        assertChannelError(404, c1, () -> c1.exchangeDeclarePassive(mid));
        Channel c2 = conn.createChannel();
        assertChannelError(404, c2, () -> c2.exchangeDeclarePassive(top));
    }

    @Test
    void mandatoryThroughAChain() throws Exception {
        String a = exchange("a", "direct");
        String b = exchange("b", "direct");
        ch.exchangeBind(b, a, "k");
        queueBoundTo(b, "k");
        BlockingQueue<String> returned = new LinkedBlockingQueue<>();
        Channel c = conn.createChannel();
        c.addReturnListener(r -> returned.add(str(r.getBody())));
        c.confirmSelect();
        c.basicPublish(a, "k", true, null, utf8("reaches a queue"));
        c.basicPublish(a, "x", true, null, utf8("stops at a"));
        ch.exchangeBind(b, a, "y"); // b routes y nowhere
        c.basicPublish(a, "y", true, null, utf8("stops at b"));
        c.waitForConfirmsOrDie(5_000);
        assertEquals("stops at a", returned.poll(5, TimeUnit.SECONDS));
        assertEquals("stops at b", returned.poll(5, TimeUnit.SECONDS));
        assertNull(returned.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void headersExchangeAsADestinationMatchesTheMessageHeaders() throws Exception {
        String src = exchange("src", "fanout");
        String hx = exchange("hx", "headers");
        ch.exchangeBind(hx, src, "");
        String q = declareQueue();
        ch.queueBind(q, hx, "", Map.of("x-match", "all", "kind", "invoice"));
        Channel c = conn.createChannel();
        c.confirmSelect();
        c.basicPublish(src, "", new AMQP.BasicProperties.Builder().headers(Map.of("kind", "invoice")).build(),
                utf8("invoice"));
        c.basicPublish(src, "", new AMQP.BasicProperties.Builder().headers(Map.of("kind", "memo")).build(),
                utf8("memo"));
        c.waitForConfirmsOrDie(5_000);
        assertEquals(List.of("invoice"), drain(q));
    }

    @Test
    void exchangeBindWithHeadersArgumentsOnAHeadersSource() throws Exception {
        String hx = exchange("hx", "headers");
        String dst = exchange("dst", "fanout");
        ch.exchangeBind(dst, hx, "", Map.of("x-match", "any", "a", 1, "b", 2));
        String q = queueBoundTo(dst, "");
        Channel c = conn.createChannel();
        c.confirmSelect();
        c.basicPublish(hx, "", new AMQP.BasicProperties.Builder().headers(Map.of("b", 2)).build(), utf8("b"));
        c.basicPublish(hx, "", new AMQP.BasicProperties.Builder().headers(Map.of("c", 3)).build(), utf8("c"));
        c.waitForConfirmsOrDie(5_000);
        assertEquals(List.of("b"), drain(q));
        ch.exchangeUnbind(dst, hx, "", Map.of("x-match", "any", "a", 1, "b", 2));
        publish(hx, "", "after unbind");
        assertEquals(List.of(), drain(q));
    }

    @Test
    void bindWithAMissingSourceIs404() throws Exception {
        String dst = exchange("dst", "fanout");
        String missing = uniqueName("missing");
        assertEquals("NOT_FOUND - no exchange '" + missing + "' in vhost '/'",
                assertChannelError(404, ch, () -> ch.exchangeBind(dst, missing, "")));
        assertTrue(conn.isOpen());
    }

    @Test
    void bindWithAMissingDestinationIs404() throws Exception {
        String src = exchange("src", "fanout");
        String missing = uniqueName("missing");
        assertEquals("NOT_FOUND - no exchange '" + missing + "' in vhost '/'",
                assertChannelError(404, ch, () -> ch.exchangeBind(missing, src, "")));
        conn.createChannel().exchangeDeclarePassive(src); // the connection's other channels keep working
    }

    @Test
    void theDefaultExchangeCanBeNeitherSourceNorDestination() throws Exception {
        String x = exchange("x", "direct");
        String text = "ACCESS_REFUSED - operation not permitted on the default exchange";
        assertEquals(text, assertChannelError(403, ch, () -> ch.exchangeBind(x, "", "k")));
        Channel c2 = conn.createChannel();
        assertEquals(text, assertChannelError(403, c2, () -> c2.exchangeBind("", x, "k")));
        Channel c3 = conn.createChannel();
        assertEquals(text, assertChannelError(403, c3, () -> c3.exchangeUnbind(x, "", "k")));
        Channel c4 = conn.createChannel();
        c4.exchangeDeclarePassive(x);
    }

    @Test
    void amqExchangesCanBeSourcesAndDestinations() throws Exception {
        String key = uniqueName("k");
        String mine = exchange("mine", "direct");
        ch.exchangeBind(mine, "amq.direct", key);
        String q = queueBoundTo(mine, key);
        try {
            publish("amq.direct", key, "from amq.direct");
            assertEquals(List.of("from amq.direct"), drain(q));
        } finally {
            ch.exchangeUnbind(mine, "amq.direct", key);
        }
        String src = exchange("src", "fanout");
        ch.exchangeBind("amq.topic", src, "");
        try {
            String q2 = declareQueue();
            ch.queueBind(q2, "amq.topic", key + ".#");
            publish(src, key + ".x", "into amq.topic");
            assertEquals(List.of("into amq.topic"), drain(q2));
            ch.queueUnbind(q2, "amq.topic", key + ".#");
        } finally {
            ch.exchangeUnbind("amq.topic", src, "");
        }
    }
}
