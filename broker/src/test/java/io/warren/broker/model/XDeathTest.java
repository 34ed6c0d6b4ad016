package io.warren.broker.model;

import io.warren.codec.BasicProperties;
import io.warren.codec.Timestamp;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** x-death as RabbitMQ 3.10.8 writes it; the expected shapes were read off a real node with Pika. */
class XDeathTest {

    private static LinkedHashMap<String, Object> death(String reason, String queue, long t) {
        return XDeath.event(reason, queue, t, "", List.of(queue), null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deaths(Map<String, Object> headers) {
        return (List<Map<String, Object>>) headers.get("x-death");
    }

    @Test
    void firstDeathKeepsNaturalFieldOrderAddsFirstDeathHeadersAndSortsTheTable() {
        LinkedHashMap<String, Object> h = new LinkedHashMap<>();
        h.put("zz", 1);
        h.put("aa", "x");
        XDeath.record(h, XDeath.event("rejected", "src", 1000, "", List.of("src", "cc1"), "60000"));
        assertEquals(List.of("aa", "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason", "zz"),
                List.copyOf(h.keySet()));
        Map<String, Object> d = deaths(h).get(0);
        assertEquals(List.of("count", "reason", "queue", "time", "exchange", "routing-keys", "original-expiration"),
                List.copyOf(d.keySet()));
        assertEquals(1L, d.get("count"));
        assertEquals(new Timestamp(1000), d.get("time"));
        assertEquals(List.of("src", "cc1"), d.get("routing-keys"));
        assertEquals("rejected", h.get("x-first-death-reason"));
        assertEquals("src", h.get("x-first-death-queue"));
        assertEquals("", h.get("x-first-death-exchange"));
    }

    @Test
    void laterDeathsGoFirstSortedAndMergeBySameQueueAndReasonWithoutTouchingTheTime() {
        LinkedHashMap<String, Object> h = new LinkedHashMap<>();
        XDeath.record(h, death("rejected", "a", 1));
        XDeath.record(h, death("rejected", "b", 2));
        List<Map<String, Object>> d = deaths(h);
        assertEquals(List.of("count", "exchange", "queue", "reason", "routing-keys", "time"), List.copyOf(d.get(0).keySet()));
        assertEquals("b", d.get(0).get("queue"));
        assertEquals(List.of("count", "reason", "queue", "time", "exchange", "routing-keys"), List.copyOf(d.get(1).keySet()));
        XDeath.record(h, death("rejected", "a", 3));
        d = deaths(h);
        assertEquals("a", d.get(0).get("queue"));
        assertEquals(2L, d.get(0).get("count"));
        assertEquals(new Timestamp(1), d.get(0).get("time"), "RabbitMQ 3.10 keeps the first time");
        assertEquals("b", d.get(1).get("queue"));
        assertEquals(2, d.size());
    }

    /** Observed on 3.10.8: a -> b -> c -> a gives [c, a, b], then [a(2), b, c]: regrouping reverses the rest. */
    @Test
    void regroupingReversesTheOlderEntriesAsRabbitMqDoes() {
        LinkedHashMap<String, Object> h = new LinkedHashMap<>();
        XDeath.record(h, death("rejected", "a", 1));
        XDeath.record(h, death("rejected", "b", 2));
        XDeath.record(h, death("rejected", "c", 3));
        assertEquals(List.of("c", "a", "b"), XDeath.queues(h.get("x-death")));
        XDeath.record(h, death("rejected", "a", 4));
        assertEquals(List.of("a", "b", "c"), XDeath.queues(h.get("x-death")));
        assertEquals(2L, deaths(h).get(0).get("count"));
        assertEquals("a", h.get("x-first-death-queue"), "first-death headers never change");
    }

    @Test
    void anXDeathThatIsNotAnArrayIsReplacedWithoutFirstDeathHeaders() {
        LinkedHashMap<String, Object> h = new LinkedHashMap<>();
        h.put("x-death", "garbage");
        XDeath.record(h, death("expired", "q", 5));
        assertEquals(List.of("x-death"), List.copyOf(h.keySet()));
        assertEquals(1L, deaths(h).get(0).get("count"));
        assertNull(h.get("x-first-death-queue"));
    }

    @Test
    void cyclesWithoutARejectionAreDetected() {
        LinkedHashMap<String, Object> h = new LinkedHashMap<>();
        XDeath.record(h, death("expired", "q1", 1));
        assertTrue(XDeath.isCycle("q1", h.get("x-death")), "expired back into itself");
        assertFalse(XDeath.isCycle("q2", h.get("x-death")));
        XDeath.record(h, death("expired", "q2", 2));
        assertTrue(XDeath.isCycle("q1", h.get("x-death")));
        LinkedHashMap<String, Object> r = new LinkedHashMap<>();
        XDeath.record(r, death("rejected", "q1", 1));
        XDeath.record(r, death("expired", "q2", 2));
        assertFalse(XDeath.isCycle("q1", r.get("x-death")), "a rejection on the way: not automatic");
        assertFalse(XDeath.isCycle("q1", "not a list"));
    }

    @Test
    void deadLetterMessageGetsTheDlxRemovesExpirationAndDropsCcOnlyWithARoutingKey() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("CC", List.of("cc1"));
        byte[] raw = new BasicProperties(null, null, headers, 2, 3, null, null, "60000", null, null, null, null,
                null, null).encode();
        Message original = new Message("ex", "rk", raw, new byte[]{1, 2});
        Message withKey = new DeadLetterer(null, "src", "dlx", "dead").deadLetter(original, "rejected", 100);
        assertEquals("dlx", withKey.exchange());
        assertEquals("dead", withKey.routingKey());
        BasicProperties p = withKey.properties();
        assertNull(p.expiration());
        assertEquals(2, p.deliveryMode());
        assertEquals(3, p.priority());
        assertFalse(p.headers().containsKey("CC"));
        assertEquals(List.of("rk", "cc1"), deaths(p.headers()).get(0).get("routing-keys"));
        assertEquals("60000", deaths(p.headers()).get(0).get("original-expiration"));
        assertEquals("ex", deaths(p.headers()).get(0).get("exchange"));
        // the re-encoded properties decode to the same thing
        assertEquals(p, BasicProperties.decode(withKey.rawProperties()));

        Message ownKeys = new DeadLetterer(null, "src", "dlx", null).deadLetter(original, "expired", 100);
        assertEquals("rk", ownKeys.routingKey());
        assertEquals(List.of("cc1"), ownKeys.properties().headers().get("CC"));
    }

    /** Keys sort as their UTF-8 bytes (rabbit_misc:sort_field_table), compared here without encoding them. */
    @Test
    void keysCompareAsTheirUtf8BytesDo() {
        List<String> keys = List.of("", "a", "ab", "b", "x-death", "x-first-death-queue", "Z", "\u00e9", "\u00ff",
                "\u0100", "\ud7ff", "\ue000", "\uffff", "\ud83d\ude00", "\ud83d\ude00a", "a\ud83d\ude00", "\ud800",
                "a\udc00", "\ud83d", "?", "a?");
        for (String a : keys) {
            for (String b : keys) {
                int bytes = java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertEquals(Integer.signum(bytes), Integer.signum(XDeath.compareBytes(a, b)), "'" + a + "' vs '" + b + "'");
            }
        }
    }
}
