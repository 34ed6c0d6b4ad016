package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead-lettering (x-dead-letter-exchange, x-dead-letter-routing-key) on reject/nack without requeue, on expiry and on
 * the length limit, with the x-death header exactly as RabbitMQ 3.10.8 writes it (fields, types, count merging, the
 * order of entries, x-first-death-*), CC handling, the removed expiration, and cycle detection.
 */
class DeadLetterTest extends InteropTestBase {

    private static Map<String, Object> dlx(String exchange, String routingKey, Object... more) {
        Map<String, Object> a = new HashMap<>();
        a.put("x-dead-letter-exchange", exchange);
        if (routingKey != null) {
            a.put("x-dead-letter-routing-key", routingKey);
        }
        for (int i = 0; i < more.length; i += 2) {
            a.put((String) more[i], more[i + 1]);
        }
        return a;
    }

    private static AMQP.BasicProperties persistent(boolean durable) {
        return new AMQP.BasicProperties.Builder().deliveryMode(durable ? 2 : 1).build();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> deaths(GetResponse r) {
        Object d = r.getProps().getHeaders().get("x-death");
        assertInstanceOf(List.class, d, "x-death is an array");
        return (List<Map<String, Object>>) d;
    }

    static String s(Object v) {
        assertInstanceOf(LongString.class, v, "a long string");
        return v.toString();
    }

    static List<String> strings(Object v) {
        assertInstanceOf(List.class, v);
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            out.add(s(o));
        }
        return out;
    }

    /** Checks one x-death entry: exactly RabbitMQ's fields, with their types. */
    static void assertDeath(Map<String, Object> d, long count, String reason, String queue, String exchange,
                            List<String> routingKeys, String originalExpiration) {
        Set<String> fields = originalExpiration == null
                ? Set.of("count", "reason", "queue", "time", "exchange", "routing-keys")
                : Set.of("count", "reason", "queue", "time", "exchange", "routing-keys", "original-expiration");
        assertEquals(fields, d.keySet());
        assertEquals(count, d.get("count"), "count is a long");
        assertEquals(reason, s(d.get("reason")));
        assertEquals(queue, s(d.get("queue")));
        assertEquals(exchange, s(d.get("exchange")));
        assertEquals(routingKeys, strings(d.get("routing-keys")));
        assertInstanceOf(Date.class, d.get("time"), "time is a timestamp");
        long age = System.currentTimeMillis() - ((Date) d.get("time")).getTime();
        assertTrue(age > -5_000 && age < 60_000, "time is about now: " + d.get("time"));
        if (originalExpiration != null) {
            assertEquals(originalExpiration, s(d.get("original-expiration")));
        }
    }

    static void assertFirstDeath(GetResponse r, String reason, String queue, String exchange) {
        Map<String, Object> h = r.getProps().getHeaders();
        assertEquals(reason, s(h.get("x-first-death-reason")));
        assertEquals(queue, s(h.get("x-first-death-queue")));
        assertEquals(exchange, s(h.get("x-first-death-exchange")));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void rejectAndNackWithoutRequeueDeadLetter(boolean durable) throws Exception {
        String dead = queueName("dead");
        ch.queueDeclare(dead, durable, false, false, null);
        String x = exchangeName("dlx");
        ch.exchangeDeclare(x, "direct", durable);
        String q = queueName("src");
        ch.queueDeclare(q, durable, false, false, dlx(x, null));
        ch.queueBind(dead, x, q);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(durable ? 2 : 1).priority(4)
                .correlationId("c1").headers(Map.of("app", "kept")).build();
        for (String body : List.of("rejected", "nacked", "nacked-too", "requeued")) {
            ch.basicPublish("", q, props, utf8(body));
        }
        ch.basicReject(getOrFail(ch, q, false).getEnvelope().getDeliveryTag(), false);
        getOrFail(ch, q, false);
        long tag = getOrFail(ch, q, false).getEnvelope().getDeliveryTag();
        ch.basicNack(tag, true, false);
        ch.basicNack(getOrFail(ch, q, false).getEnvelope().getDeliveryTag(), false, true); // requeue: no dead letter
        awaitMessageCount(dead, 3);
        for (String body : List.of("rejected", "nacked", "nacked-too")) {
            GetResponse r = getOrFail(ch, dead, true);
            assertEquals(body, str(r.getBody()));
            assertEquals(x, r.getEnvelope().getExchange(), "delivered from the dead-letter exchange");
            assertEquals(q, r.getEnvelope().getRoutingKey(), "with the original routing key");
            assertEquals(durable ? 2 : 1, r.getProps().getDeliveryMode());
            assertEquals(4, r.getProps().getPriority());
            assertEquals("c1", r.getProps().getCorrelationId());
            assertEquals("kept", s(r.getProps().getHeaders().get("app")));
            assertEquals(1, deaths(r).size());
            assertDeath(deaths(r).get(0), 1, "rejected", q, "", List.of(q), null);
            assertFirstDeath(r, "rejected", q, "");
        }
        assertEquals(1, ch.queueDeclarePassive(q).getMessageCount());
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void expiredMessagesAreDeadLetteredWithoutTheirExpiration(boolean durable) throws Exception {
        String dead = queueName("dead");
        ch.queueDeclare(dead, durable, false, false, null);
        String q = queueName("src");
        ch.queueDeclare(q, durable, false, false, dlx("", dead, "x-message-ttl", 200));
        String x = "amq.direct";
        ch.queueBind(q, x, "via-amq-direct");
        ch.basicPublish(x, "via-amq-direct", persistent(durable), utf8("queue ttl"));
        ch.basicPublish(x, "via-amq-direct", new AMQP.BasicProperties.Builder().deliveryMode(durable ? 2 : 1)
                .expiration("50").build(), utf8("message ttl"));
        awaitMessageCount(dead, 2);
        GetResponse first = getOrFail(ch, dead, true);
        GetResponse second = getOrFail(ch, dead, true);
        GetResponse byTtl = str(first.getBody()).equals("message ttl") ? first : second;
        GetResponse byQueueTtl = byTtl == first ? second : first;
        assertEquals("", byTtl.getEnvelope().getExchange());
        assertEquals(dead, byTtl.getEnvelope().getRoutingKey());
        assertNull(byTtl.getProps().getExpiration(), "expiration is removed");
        assertDeath(deaths(byTtl).get(0), 1, "expired", q, x, List.of("via-amq-direct"), "50");
        assertFirstDeath(byTtl, "expired", q, x);
        assertDeath(deaths(byQueueTtl).get(0), 1, "expired", q, x, List.of("via-amq-direct"), null);
    }

    @Test
    void rejectingAMessageWithAnExpirationRecordsItToo() throws Exception {
        String dead = queueName("dead");
        ch.queueDeclare(dead, false, false, false, null);
        String q = queueName("src");
        ch.queueDeclare(q, false, false, false, dlx("", dead));
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("60000").build(), utf8("m"));
        ch.basicReject(getOrFail(ch, q, false).getEnvelope().getDeliveryTag(), false);
        GetResponse r = getOrFail(ch, dead, true);
        assertNull(r.getProps().getExpiration());
        assertDeath(deaths(r).get(0), 1, "rejected", q, "", List.of(q), "60000");
    }

    @Test
    void withoutARoutingKeyCcIsKeptAndRoutedWithOneCcIsDropped() throws Exception {
        String x = exchangeName("dlx");
        ch.exchangeDeclare(x, "direct");
        String byKey = queueName("bykey");
        String byCc = queueName("bycc");
        ch.queueDeclare(byKey, false, false, false, null);
        ch.queueDeclare(byCc, false, false, false, null);
        String q = queueName("src");
        ch.queueBind(byKey, x, q);
        ch.queueBind(byCc, x, "cc-key");
        ch.queueDeclare(q, false, false, false, dlx(x, null));
        String fixed = queueName("fixed");
        ch.queueDeclare(fixed, false, false, false, dlx("", byKey));
        Map<String, Object> headers = Map.of("CC", List.of("cc-key"));
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().headers(headers).build();
        ch.basicPublish("", q, props, utf8("own keys"));
        ch.basicReject(getOrFail(ch, q, false).getEnvelope().getDeliveryTag(), false);
        GetResponse a = getOrFail(ch, byKey, true);
        GetResponse b = getOrFail(ch, byCc, true);
        assertEquals("own keys", str(b.getBody()), "routed by its CC key as well");
        assertEquals(List.of("cc-key"), strings(a.getProps().getHeaders().get("CC")));
        assertDeath(deaths(a).get(0), 1, "rejected", q, "", List.of(q, "cc-key"), null);

        ch.basicPublish("", fixed, props, utf8("fixed key"));
        ch.basicReject(getOrFail(ch, fixed, false).getEnvelope().getDeliveryTag(), false);
        GetResponse c = getOrFail(ch, byKey, true);
        assertEquals("fixed key", str(c.getBody()));
        assertEquals(byKey, c.getEnvelope().getRoutingKey());
        assertFalse(c.getProps().getHeaders().containsKey("CC"), "CC goes with a dead-letter routing key");
        assertDeath(deaths(c).get(0), 1, "rejected", fixed, "", List.of(fixed, "cc-key"), null);
        Thread.sleep(100);
        assertNull(ch.basicGet(byCc, true));
    }

    /** Observed on 3.10.8: a -> b -> c -> a -> b by rejections gives [c, a, b] then [a(2), b, c]. */
    @Test
    void countsMergeAndEntriesAreOrderedAsRabbitMqDoes() throws Exception {
        List<String> names = List.of(queueName("a"), queueName("b"), queueName("c"));
        for (int i = 0; i < 3; i++) {
            ch.queueDeclare(names.get(i), false, false, false, dlx("", names.get((i + 1) % 3)));
        }
        ch.basicPublish("", names.get(0), null, utf8("loop"));
        List<List<String>> seen = new ArrayList<>();
        List<List<Long>> counts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            GetResponse r = getOrFail(ch, names.get(i % 3), false);
            List<String> qs = new ArrayList<>();
            List<Long> cs = new ArrayList<>();
            if (r.getProps().getHeaders() != null) {
                for (Map<String, Object> d : deaths(r)) {
                    qs.add(s(d.get("queue")));
                    cs.add((Long) d.get("count"));
                }
            }
            seen.add(qs);
            counts.add(cs);
            if (i == 4) {
                assertFirstDeath(r, "rejected", names.get(0), "");
                break;
            }
            ch.basicReject(r.getEnvelope().getDeliveryTag(), false);
        }
        String a = names.get(0);
        String b = names.get(1);
        String c = names.get(2);
        assertEquals(List.of(List.of(), List.of(a), List.of(b, a), List.of(c, a, b), List.of(a, b, c)), seen);
        assertEquals(List.of(2L, 1L, 1L), counts.get(4));
    }

    @Test
    void expiryIntoItselfIsACycleAndDropped() throws Exception {
        String q = queueName("self");
        ch.queueDeclare(q, false, false, false, dlx("", null, "x-message-ttl", 100));
        ch.basicPublish("", q, null, utf8("round and round"));
        Thread.sleep(600);
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount(), "dropped after one expiry");
    }

    @Test
    void rejectionIntoItselfIsNotACycle() throws Exception {
        String q = queueName("self");
        ch.queueDeclare(q, false, false, false, dlx("", null));
        ch.basicPublish("", q, null, utf8("again"));
        for (long n = 1; n <= 3; n++) {
            GetResponse r = getOrFail(ch, q, false);
            if (n > 1) {
                assertEquals(n - 1, deaths(r).get(0).get("count"));
            }
            ch.basicReject(r.getEnvelope().getDeliveryTag(), false);
        }
        assertEquals(3L, deaths(getOrFail(ch, q, true)).get(0).get("count"));
    }

    @Test
    void twoQueuesExpiringIntoEachOtherStopAfterTheRoundTrip() throws Exception {
        String q1 = queueName("one");
        String q2 = queueName("two");
        ch.queueDeclare(q1, false, false, false, dlx("", q2, "x-message-ttl", 100));
        ch.queueDeclare(q2, false, false, false, dlx("", q1));
        ch.basicPublish("", q1, null, utf8("ping"));
        GetResponse r = getOrFail(ch, q2, false);
        assertDeath(deaths(r).get(0), 1, "expired", q1, "", List.of(q1), null);
        ch.basicReject(r.getEnvelope().getDeliveryTag(), false); // a rejection: the way back is allowed
        Thread.sleep(300);
        GetResponse again = getOrFail(ch, q2, true); // expired from q1 once more; the reject breaks the cycle
        assertEquals(2L, deaths(again).get(0).get("count"));
        // without the reject: q2 -> q1 by expiry too is a cycle
        String p1 = queueName("p1");
        String p2 = queueName("p2");
        ch.queueDeclare(p1, false, false, false, dlx("", p2, "x-message-ttl", 100));
        ch.queueDeclare(p2, false, false, false, dlx("", p1, "x-message-ttl", 100));
        ch.basicPublish("", p1, null, utf8("pong"));
        Thread.sleep(800);
        assertEquals(0, ch.queueDeclarePassive(p1).getMessageCount());
        assertEquals(0, ch.queueDeclarePassive(p2).getMessageCount());
    }

    @Test
    void aMissingDeadLetterExchangeDropsTheMessage() throws Exception {
        String q = queueName("src");
        ch.queueDeclare(q, false, false, false, dlx(uniqueName("missing"), null));
        ch.basicPublish("", q, null, utf8("m"));
        ch.basicReject(getOrFail(ch, q, false).getEnvelope().getDeliveryTag(), false);
        Thread.sleep(100);
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
        assertTrue(ch.isOpen());
    }

    @Test
    void rejectionsInATransactionDeadLetterAtCommit() throws Exception {
        String dead = queueName("dead");
        ch.queueDeclare(dead, false, false, false, null);
        String q = queueName("src");
        ch.queueDeclare(q, false, false, false, dlx("", dead));
        ch.basicPublish("", q, null, utf8("m"));
        Channel tx = conn.createChannel();
        tx.txSelect();
        GetResponse r = getOrFail(tx, q, false);
        tx.basicReject(r.getEnvelope().getDeliveryTag(), false);
        Thread.sleep(100);
        assertEquals(0, ch.queueDeclarePassive(dead).getMessageCount(), "not before the commit");
        tx.txCommit();
        assertEquals("m", str(getOrFail(ch, dead, true).getBody()));
    }

    @Test
    void deadLettersGoThroughAnAlternateExchangeAndTopicBindings() throws Exception {
        String ae = exchangeName("ae");
        ch.exchangeDeclare(ae, "fanout");
        String x = exchangeName("dlx");
        ch.exchangeDeclare(x, "topic", false, false, Map.of("alternate-exchange", ae));
        String caught = queueName("caught");
        ch.queueDeclare(caught, false, false, false, null);
        ch.queueBind(caught, ae, "");
        String q = queueName("src");
        ch.queueDeclare(q, false, false, false, dlx(x, "no.binding.matches"));
        ch.basicPublish("", q, null, utf8("m"));
        ch.basicReject(getOrFail(ch, q, false).getEnvelope().getDeliveryTag(), false);
        GetResponse r = getOrFail(ch, caught, true);
        assertEquals("no.binding.matches", r.getEnvelope().getRoutingKey());
        assertEquals(x, r.getEnvelope().getExchange());
    }

    @Test
    void anInvalidXDeathHeaderIsReplaced() throws Exception {
        String dead = queueName("dead");
        ch.queueDeclare(dead, false, false, false, null);
        String q = queueName("src");
        ch.queueDeclare(q, false, false, false, dlx("", dead));
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().headers(Map.of("x-death", "garbage")).build(), utf8("m"));
        ch.basicReject(getOrFail(ch, q, false).getEnvelope().getDeliveryTag(), false);
        GetResponse r = getOrFail(ch, dead, true);
        assertDeath(deaths(r).get(0), 1, "rejected", q, "", List.of(q), null);
        assertFalse(r.getProps().getHeaders().containsKey("x-first-death-queue"));
    }

    @Test
    void deletingTheSourceQueueDoesNotDeadLetterItsMessages() throws Exception {
        String dead = queueName("dead");
        ch.queueDeclare(dead, false, false, false, null);
        String q = queueName("src");
        ch.queueDeclare(q, false, false, false, dlx("", dead));
        ch.basicPublish("", q, null, utf8("m"));
        awaitMessageCount(q, 1);
        ch.queueDelete(q);
        Thread.sleep(100);
        assertEquals(0, ch.queueDeclarePassive(dead).getMessageCount());
    }
}
