package io.warren.interop;

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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code alternate-exchange} argument: what an exchange cannot route goes to its alternate exchange, which
 * routes it by the original routing key; mandatory publishes are returned only when nothing at all takes them.
 */
class AlternateExchangeTest extends InteropTestBase {

    private static final String AE = "alternate-exchange";

    private String exchangeWithAe(String hint, String type, String ae) throws Exception {
        String x = exchangeName(hint);
        ch.exchangeDeclare(x, type, false, false, Map.of(AE, ae));
        return x;
    }

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

    /**
     * Publishes with confirms and mandatory=true; returns the bodies of the basic.returns (which arrive before the
     * confirms).
     */
    private List<String> publishMandatory(String x, String... keys) throws Exception {
        List<String> returned = java.util.Collections.synchronizedList(new ArrayList<>());
        Channel c = conn.createChannel();
        c.addReturnListener(r -> returned.add(r.getReplyCode() + " " + r.getReplyText() + " " + str(r.getBody())));
        c.confirmSelect();
        for (String k : keys) {
            c.basicPublish(x, k, true, null, utf8(k));
        }
        c.waitForConfirmsOrDie(5_000);
        c.close();
        return new ArrayList<>(returned);
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
    void unroutableMessagesGoToTheAlternateExchange() throws Exception {
        String ae = exchange("ae", "fanout");
        String unrouted = queueBoundTo(ae, "");
        String x = exchangeWithAe("main", "direct", ae);
        String routed = queueBoundTo(x, "known");
        ch.basicPublish(x, "known", null, utf8("known"));
        ch.basicPublish(x, "unknown", null, utf8("unknown"));
        awaitMessageCount(unrouted, 1);
        assertEquals(List.of("known"), drain(routed));
        GetResponse r = getOrFail(ch, unrouted, true);
        assertEquals("unknown", str(r.getBody()));
        assertEquals(x, r.getEnvelope().getExchange(), "the envelope names the exchange published to");
        assertEquals("unknown", r.getEnvelope().getRoutingKey());
    }

    @Test
    void theAlternateExchangeRoutesByTheOriginalKey() throws Exception {
        String ae = exchange("ae", "topic");
        String errors = queueBoundTo(ae, "*.error");
        String x = exchangeWithAe("main", "direct", ae);
        queueBoundTo(x, "app.info");
        assertEquals(List.of("312 NO_ROUTE app.debug"), publishMandatory(x, "app.info", "app.error", "db.error", "app.debug"));
        assertEquals(List.of("app.error", "db.error"), drain(errors));
    }

    @Test
    void mandatoryMessageTakenByTheAlternateExchangeIsNotReturned() throws Exception {
        String ae = exchange("ae", "fanout");
        String q = queueBoundTo(ae, "");
        String x = exchangeWithAe("main", "direct", ae);
        assertEquals(List.of(), publishMandatory(x, "nobody-binds-this"));
        assertEquals(List.of("nobody-binds-this"), drain(q));
    }

    @Test
    void mandatoryMessageTheAlternateExchangeCannotRouteIsReturned() throws Exception {
        String ae = exchange("ae", "direct");
        String q = queueBoundTo(ae, "b");
        String x = exchangeWithAe("main", "direct", ae);
        assertEquals(List.of("312 NO_ROUTE a"), publishMandatory(x, "a", "b"));
        assertEquals(List.of("b"), drain(q));
    }

    @Test
    void aMissingAlternateExchangeDropsTheMessageOrReturnsItWhenMandatory() throws Exception {
        String x = exchangeWithAe("main", "direct", uniqueName("no-such-ae"));
        String q = queueBoundTo(x, "known");
        ch.basicPublish(x, "unknown", null, utf8("dropped"));
        assertEquals(List.of("312 NO_ROUTE unknown"), publishMandatory(x, "unknown", "known"));
        assertTrue(ch.isOpen(), "a missing alternate exchange is not an error");
        assertEquals(List.of("known"), drain(q));
    }

    @Test
    void anAlternateExchangeCreatedLaterIsUsed() throws Exception {
        String aeName = exchangeName("ae");
        String x = exchangeWithAe("main", "direct", aeName);
        assertEquals(List.of("312 NO_ROUTE early"), publishMandatory(x, "early"));
        ch.exchangeDeclare(aeName, "fanout");
        String q = queueBoundTo(aeName, "");
        assertEquals(List.of(), publishMandatory(x, "late"));
        assertEquals(List.of("late"), drain(q));
    }

    @Test
    void alternateExchangeOfTheAlternateExchange() throws Exception {
        String last = exchange("last", "fanout");
        String lastQ = queueBoundTo(last, "");
        String second = exchangeWithAe("second", "direct", last);
        String secondQ = queueBoundTo(second, "s");
        String first = exchangeWithAe("first", "direct", second);
        String firstQ = queueBoundTo(first, "f");
        assertEquals(List.of(), publishMandatory(first, "f", "s", "z"));
        assertEquals(List.of("f"), drain(firstQ));
        assertEquals(List.of("s"), drain(secondQ));
        assertEquals(List.of("z"), drain(lastQ));
    }

    @Test
    void alternateExchangeLoopsNeitherHangNorDuplicate() throws Exception {
        String aName = exchangeName("a");
        String bName = exchangeName("b");
        ch.exchangeDeclare(aName, "direct", false, false, Map.of(AE, bName));
        ch.exchangeDeclare(bName, "direct", false, false, Map.of(AE, aName));
        String qa = queueBoundTo(aName, "ka");
        String qb = queueBoundTo(bName, "kb");
        String self = exchangeName("self");
        ch.exchangeDeclare(self, "direct", false, false, Map.of(AE, self));
        assertEquals(List.of("312 NO_ROUTE none"), publishMandatory(aName, "ka", "kb", "none"));
        assertEquals(List.of("312 NO_ROUTE none"), publishMandatory(bName, "none"));
        assertEquals(List.of("312 NO_ROUTE k"), publishMandatory(self, "k"));
        assertEquals(List.of("ka"), drain(qa));
        assertEquals(List.of("kb"), drain(qb));
    }

    @Test
    void anInternalExchangeCanBeTheAlternateExchange() throws Exception {
        String ae = exchangeName("internal-ae");
        ch.exchangeDeclare(ae, "fanout", false, false, true, null);
        String q = queueBoundTo(ae, "");
        String x = exchangeWithAe("main", "topic", ae);
        assertEquals(List.of(), publishMandatory(x, "anything"));
        assertEquals(List.of("anything"), drain(q));
    }

    @Test
    void anExchangeReachedThroughAnExchangeBindingUsesItsAlternateExchange() throws Exception {
        String ae = exchange("ae", "fanout");
        String aeQ = queueBoundTo(ae, "");
        String inner = exchangeWithAe("inner", "direct", ae);
        String innerQ = queueBoundTo(inner, "k1");
        String outer = exchange("outer", "fanout");
        ch.exchangeBind(inner, outer, "");
        assertEquals(List.of(), publishMandatory(outer, "k1", "k2"));
        assertEquals(List.of("k1"), drain(innerQ));
        assertEquals(List.of("k2"), drain(aeQ));
    }

    @Test
    void anExchangeThatRoutesToAnotherExchangeDoesNotUseItsAlternate() throws Exception {
        String ae = exchange("ae", "fanout");
        String aeQ = queueBoundTo(ae, "");
        String x = exchangeWithAe("main", "fanout", ae);
        String dead = exchange("dead-end", "direct"); // no bindings at all
        ch.exchangeBind(dead, x, "");
        assertEquals(List.of("312 NO_ROUTE k"), publishMandatory(x, "k"));
        assertEquals(List.of(), drain(aeQ));
    }

    @Test
    void redeclaringWithAnotherAlternateExchangeIs406() throws Exception {
        String x = exchangeWithAe("main", "direct", "one");
        ch.exchangeDeclare(x, "direct", false, false, Map.of(AE, "one")); // equivalent
        String prefix = "PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange '" + x
                + "' in vhost '/': ";
        assertEquals(prefix + "received 'two' but current is 'one'", assertChannelError(406, ch,
                () -> ch.exchangeDeclare(x, "direct", false, false, Map.of(AE, "two"))));
        Channel c2 = conn.createChannel();
        assertEquals(prefix + "received none but current is the value 'one' of type 'longstr'",
                assertChannelError(406, c2, () -> c2.exchangeDeclare(x, "direct", false, false, null)));
        Channel c3 = conn.createChannel();
        String plain = exchangeName("plain");
        c3.exchangeDeclare(plain, "direct");
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange '" + plain
                        + "' in vhost '/': received the value 'one' of type 'longstr' but current is none",
                assertChannelError(406, c3, () -> c3.exchangeDeclare(plain, "direct", false, false, Map.of(AE, "one"))));
    }

    @Test
    void aNonStringAlternateExchangeIs406() throws Exception {
        String x = exchangeName("bad");
        assertEquals("PRECONDITION_FAILED - invalid type 'signedint' for arg 'alternate-exchange' in exchange '" + x
                        + "' in vhost '/'",
                assertChannelError(406, ch, () -> ch.exchangeDeclare(x, "direct", false, false, Map.of(AE, 5))));
        Channel c2 = conn.createChannel();
        assertEquals("NOT_FOUND - no exchange '" + x + "' in vhost '/'",
                assertChannelError(404, c2, () -> c2.exchangeDeclarePassive(x)));
    }

    @Test
    void consumersSeeAlternateRoutedMessagesLikeAnyOther() throws Exception {
        String ae = exchange("ae", "fanout");
        String q = queueBoundTo(ae, "");
        String x = exchangeWithAe("main", "direct", ae);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        Channel consumer = newConnection().createChannel();
        consumer.basicConsume(q, true, (t, d) -> got.add(d.getEnvelope().getExchange() + "/"
                + d.getEnvelope().getRoutingKey() + "/" + str(d.getBody())), t -> { });
        Channel producer = newConnection().createChannel();
        producer.basicPublish(x, "orphan", null, utf8("hello"));
        assertEquals(x + "/orphan/hello", got.poll(5, TimeUnit.SECONDS));
        assertNull(got.poll(200, TimeUnit.MILLISECONDS));
    }
}
