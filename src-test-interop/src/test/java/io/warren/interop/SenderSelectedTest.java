package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sender-selected distribution: the {@code CC} and {@code BCC} headers (arrays of strings) add routing keys; BCC is
 * removed from the delivered message, CC is kept; a queue reached by several keys gets one copy.
 */
class SenderSelectedTest extends InteropTestBase {

    private static AMQP.BasicProperties headers(Map<String, Object> h) {
        return new AMQP.BasicProperties.Builder().headers(h).build();
    }

    private void publish(String x, String key, Map<String, Object> h, String body) throws Exception {
        Channel c = conn.createChannel();
        c.confirmSelect();
        c.basicPublish(x, key, headers(h), utf8(body));
        c.waitForConfirmsOrDie(5_000);
        c.close();
    }

    private String queueBoundTo(String x, String key) throws Exception {
        String q = declareQueue();
        ch.queueBind(q, x, key);
        return q;
    }

    private List<GetResponse> drain(String q) throws Exception {
        List<GetResponse> out = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(q, true)) != null) {
            out.add(r);
        }
        return out;
    }

    private static List<String> strings(Object headerValue) {
        assertNotNull(headerValue);
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) headerValue) {
            out.add(o.toString());
        }
        return out;
    }

    @Test
    void ccAddsRoutingKeysOnADirectExchangeAndIsKept() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String qa = queueBoundTo(x, "a");
        String qb = queueBoundTo(x, "b");
        String qc = queueBoundTo(x, "c");
        String qd = queueBoundTo(x, "d");
        publish(x, "a", Map.of("CC", List.of("b", "c"), "other", "kept"), "m");
        for (String q : List.of(qa, qb, qc)) {
            List<GetResponse> got = drain(q);
            assertEquals(1, got.size(), q);
            GetResponse r = got.get(0);
            assertEquals("a", r.getEnvelope().getRoutingKey(), "the envelope carries the publish's routing key");
            assertEquals(List.of("b", "c"), strings(r.getProps().getHeaders().get("CC")));
            assertEquals("kept", r.getProps().getHeaders().get("other").toString());
        }
        assertTrue(drain(qd).isEmpty());
    }

    @Test
    void bccAddsRoutingKeysAndIsRemovedFromEveryCopy() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String qa = queueBoundTo(x, "a");
        String qb = queueBoundTo(x, "b");
        String qc = queueBoundTo(x, "c");
        publish(x, "a", Map.of("CC", List.of("b"), "BCC", List.of("c"), "h", 1), "m");
        for (String q : List.of(qa, qb, qc)) {
            List<GetResponse> got = drain(q);
            assertEquals(1, got.size(), q);
            Map<String, Object> h = got.get(0).getProps().getHeaders();
            assertFalse(h.containsKey("BCC"), () -> "BCC must not be delivered: " + h);
            assertEquals(List.of("b"), strings(h.get("CC")));
            assertEquals(1, h.get("h"));
        }
    }

    @Test
    void aMessageWhoseOnlyHeaderWasBccIsDeliveredWithAnEmptyTable() throws Exception {
        String q = declareQueue();
        publish("", uniqueName("nowhere"), Map.of("BCC", List.of(q)), "blind");
        GetResponse r = getOrFail(ch, q, true);
        assertEquals("blind", str(r.getBody()));
        assertEquals(Map.of(), r.getProps().getHeaders());
    }

    @Test
    void topicExchangeMatchesCcAndBccKeysAgainstItsPatterns() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "topic");
        String eu = queueBoundTo(x, "orders.*.eu");
        String all = queueBoundTo(x, "orders.#");
        String audit = queueBoundTo(x, "audit.#");
        publish(x, "orders.new.us", Map.of("CC", List.of("orders.new.eu"), "BCC", List.of("audit.orders")), "o1");
        assertEquals(List.of("o1"), drain(eu).stream().map(r -> str(r.getBody())).toList());
        assertEquals(1, drain(all).size(), "reached by the key and by CC: one copy");
        List<GetResponse> audited = drain(audit);
        assertEquals(1, audited.size());
        assertEquals("orders.new.us", audited.get(0).getEnvelope().getRoutingKey());
        assertNull(audited.get(0).getProps().getHeaders().get("BCC"));
    }

    @Test
    void duplicateKeysDeliverOnce() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String qa = queueBoundTo(x, "a");
        String qb = queueBoundTo(x, "b");
        publish(x, "a", Map.of("CC", List.of("a", "b", "b"), "BCC", List.of("a", "b")), "dup");
        assertEquals(1, drain(qa).size());
        assertEquals(1, drain(qb).size());
    }

    @Test
    void theDefaultExchangeTakesQueueNamesInCcAndBcc() throws Exception {
        String q1 = declareQueue();
        String q2 = declareQueue();
        String q3 = declareQueue();
        publish("", q1, Map.of("CC", List.of(q2), "BCC", List.of(q3, uniqueName("missing"))), "to three");
        for (String q : List.of(q1, q2, q3)) {
            assertEquals(List.of("to three"), drain(q).stream().map(r -> str(r.getBody())).toList(), q);
        }
    }

    @Test
    void fanoutIgnoresTheExtraKeys() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "fanout");
        String q = queueBoundTo(x, "");
        publish(x, "k", Map.of("CC", List.of("k2", "k3"), "BCC", List.of("k4")), "once");
        assertEquals(1, drain(q).size());
    }

    @Test
    void onlyTheExactHeaderNamesCount() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String qb = queueBoundTo(x, "b");
        publish(x, "a", Map.of("cc", List.of("b"), "Bcc", List.of("b")), "ignored");
        assertTrue(drain(qb).isEmpty(), "header names are case-sensitive");
    }

    @Test
    void mandatoryMessageRoutedOnlyByCcOrBccIsNotReturned() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String qb = queueBoundTo(x, "b");
        List<String> returned = java.util.Collections.synchronizedList(new ArrayList<>());
        Channel c = conn.createChannel();
        c.addReturnListener(r -> returned.add(str(r.getBody())));
        c.confirmSelect();
        c.basicPublish(x, "nothing", true, headers(Map.of("BCC", List.of("b"))), utf8("bcc"));
        c.basicPublish(x, "nothing", true, headers(Map.of("CC", List.of("b"))), utf8("cc"));
        c.basicPublish(x, "nothing", true, headers(Map.of("CC", List.of("z"))), utf8("returned"));
        c.waitForConfirmsOrDie(5_000);
        assertEquals(List.of("returned"), returned);
        assertEquals(2, drain(qb).size());
    }

    @Test
    void ccKeysAreUsedThroughExchangeToExchangeBindings() throws Exception {
        String src = exchangeName("src");
        String dst = exchangeName("dst");
        ch.exchangeDeclare(src, "direct");
        ch.exchangeDeclare(dst, "direct");
        ch.exchangeBind(dst, src, "b");
        String qb = queueBoundTo(dst, "b");
        publish(src, "a", Map.of("CC", List.of("b")), "via cc");
        assertEquals(1, drain(qb).size());
    }

    @Test
    void aCcHeaderThatIsNotAnArrayIs406() throws Exception {
        ch.basicPublish("", uniqueName("q"), headers(Map.of("CC", "k")), utf8("bad"));
        assertEquals("PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,\"CC\",longstr}",
                awaitChannelError(406, ch));
        String q = queueName();
        Channel c2 = conn.createChannel(); // the connection survives
        c2.queueDeclare(q, false, false, false, null);
    }

    @Test
    void aBccHeaderThatIsNotAnArrayIs406() throws Exception {
        ch.basicPublish("", uniqueName("q"), headers(Map.of("BCC", 7)), utf8("bad"));
        assertEquals("PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,\"BCC\",signedint}",
                awaitChannelError(406, ch));
    }

    @Test
    void nonStringArrayElementsAreIgnored() throws Exception {
        String q = declareQueue();
        String other = declareQueue();
        Map<String, Object> h = new HashMap<>();
        h.put("CC", List.of(1, other, true));
        publish("", q, h, "mixed");
        assertEquals(1, drain(q).size());
        assertEquals(1, drain(other).size());
    }
}
