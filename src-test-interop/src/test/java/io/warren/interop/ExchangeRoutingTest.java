package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which queues a message reaches through each exchange type, observed from the client. */
class ExchangeRoutingTest extends InteropTestBase {

    /** Publishes every key (body = key) with confirms, then returns what each queue got. */
    private Map<String, Set<String>> route(String exchange, Map<String, String> queueByLabel, List<String> keys,
                                           Map<String, Map<String, Object>> headersByKey) throws Exception {
        ch.confirmSelect();
        for (String key : keys) {
            AMQP.BasicProperties props = headersByKey == null ? null
                    : new AMQP.BasicProperties.Builder().headers(headersByKey.get(key)).build();
            String rk = headersByKey == null ? key : "";
            ch.basicPublish(exchange, rk, props, key.getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(10_000);
        Map<String, Set<String>> got = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : queueByLabel.entrySet()) {
            Set<String> bodies = new TreeSet<>();
            GetResponse r;
            while ((r = ch.basicGet(e.getValue(), true)) != null) {
                bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
            }
            got.put(e.getKey(), bodies);
        }
        return got;
    }

    private String boundQueue(String exchange, String bindingKey, Map<String, Object> args) throws Exception {
        String q = queueName("bound");
        ch.queueDeclare(q, false, false, false, null);
        ch.queueBind(q, exchange, bindingKey, args);
        return q;
    }

    @Test
    void defaultExchangeRoutesByQueueName() throws Exception {
        String q = declareQueue();
        Map<String, Set<String>> got = route("", Map.of("q", q), List.of(q, q + ".other", ""), null);
        assertEquals(Set.of(q), got.get("q"));
    }

    @Test
    void direct() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        Map<String, String> queues = new LinkedHashMap<>();
        queues.put("a", boundQueue(x, "a", null));
        queues.put("b", boundQueue(x, "b", null));
        String ab = boundQueue(x, "a", null);
        ch.queueBind(ab, x, "b");
        queues.put("a+b", ab);
        queues.put("empty", boundQueue(x, "", null));
        Map<String, Set<String>> got = route(x, queues, List.of("a", "b", "c", "", "A", "a.b"), null);
        assertEquals(Set.of("a"), got.get("a"));
        assertEquals(Set.of("b"), got.get("b"));
        assertEquals(Set.of("a", "b"), got.get("a+b"));
        assertEquals(Set.of(""), got.get("empty"));
    }

    @Test
    void amqDirect() throws Exception {
        String key = uniqueName("k");
        String q = boundQueue("amq.direct", key, null);
        try {
            assertEquals(Set.of(key), route("amq.direct", Map.of("q", q), List.of(key, key + "x"), null).get("q"));
        } finally {
            ch.queueUnbind(q, "amq.direct", key);
        }
    }

    @Test
    void fanoutIgnoresTheRoutingKey() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "fanout");
        Map<String, String> queues = Map.of("1", boundQueue(x, "", null), "2", boundQueue(x, "whatever", null));
        Map<String, Set<String>> got = route(x, queues, List.of("", "a", "b.c"), null);
        assertEquals(Set.of("", "a", "b.c"), got.get("1"));
        assertEquals(Set.of("", "a", "b.c"), got.get("2"));
    }

    @Test
    void topic() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "topic");
        List<String> keys = List.of("", "a", "b", "a.", "a.b", "a.x.b", "a.x.y.b", "a.b.c", "a..b", "x.a", "x.y.a",
                "ab", ".", "a.b.b", "b.a");
        // binding key -> routing keys it must match (everything else in `keys` must not)
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("#", new TreeSet<>(keys));
        expected.put("*", Set.of("a", "b", "ab"));
        expected.put("", Set.of(""));
        expected.put("a", Set.of("a"));
        expected.put("a.*", Set.of("a.", "a.b"));
        expected.put("a.#", Set.of("a", "a.", "a.b", "a.x.b", "a.x.y.b", "a.b.c", "a..b", "a.b.b"));
        expected.put("a.#.b", Set.of("a.b", "a.x.b", "a.x.y.b", "a..b", "a.b.b"));
        expected.put("a.*.b", Set.of("a..b", "a.x.b", "a.b.b"));
        expected.put("#.a", Set.of("a", "x.a", "x.y.a", "b.a"));
        expected.put("*.*", Set.of("a.", "a.b", "x.a", ".", "b.a"));
        expected.put("#.#", new TreeSet<>(keys));
        expected.put("*.#", new TreeSet<>(List.of("a", "b", "a.", "a.b", "a.x.b", "a.x.y.b", "a.b.c", "a..b", "x.a",
                "x.y.a", "ab", ".", "a.b.b", "b.a")));
        expected.put("a.b", Set.of("a.b"));
        expected.put("#.b.#", Set.of("b", "a.b", "a.x.b", "a.x.y.b", "a.b.c", "a..b", "a.b.b", "b.a"));
        Map<String, String> queues = new LinkedHashMap<>();
        for (String binding : expected.keySet()) {
            queues.put(binding, boundQueue(x, binding, null));
        }
        Map<String, Set<String>> got = route(x, queues, keys, null);
        for (String binding : expected.keySet()) {
            assertEquals(new TreeSet<>(expected.get(binding)), got.get(binding), "binding key '" + binding + "'");
        }
    }

    @Test
    void headers() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "headers");
        Map<String, String> queues = new LinkedHashMap<>();
        queues.put("all", boundQueue(x, "", Map.of("x-match", "all", "a", 1, "b", "x")));
        queues.put("any", boundQueue(x, "", Map.of("x-match", "any", "a", 1, "b", "x")));
        queues.put("default-all", boundQueue(x, "", Map.of("a", 1, "b", "x")));
        queues.put("any-with-x", boundQueue(x, "", Map.of("x-match", "any-with-x", "x-tag", "t")));
        queues.put("any-x", boundQueue(x, "", Map.of("x-match", "any", "x-tag", "t")));
        queues.put("all-with-x", boundQueue(x, "", Map.of("x-match", "all-with-x", "x-tag", "t", "a", 1)));
        queues.put("all-x", boundQueue(x, "", Map.of("x-match", "all", "x-tag", "t", "a", 1)));
        queues.put("string-1", boundQueue(x, "", Map.of("x-match", "all", "a", "1")));
        queues.put("empty", boundQueue(x, "", null));
        Map<String, Object> presence = new HashMap<>();
        presence.put("x-match", "all");
        presence.put("p", null); // a void value matches any value of that key
        queues.put("presence", boundQueue(x, "", presence));

        Map<String, Map<String, Object>> messages = new LinkedHashMap<>();
        messages.put("m-a1-bx", Map.of("a", 1, "b", "x"));
        messages.put("m-a1", Map.of("a", 1));
        messages.put("m-a1-bx-c", Map.of("a", 1, "b", "x", "c", true));
        messages.put("m-bx", Map.of("b", "x"));
        messages.put("m-a2", Map.of("a", 2));
        messages.put("m-a-string-1", Map.of("a", "1"));
        messages.put("m-a-long-1", Map.of("a", 1L));
        messages.put("m-tag", Map.of("x-tag", "t"));
        messages.put("m-tag-a1", Map.of("x-tag", "t", "a", 1));
        messages.put("m-none", Map.of());
        messages.put("m-p", Map.of("p", 42));
        Map<String, Set<String>> got = route(x, queues, new ArrayList<>(messages.keySet()), messages);

        assertEquals(Set.of("m-a1-bx", "m-a1-bx-c"), got.get("all"));
        assertEquals(Set.of("m-a1-bx", "m-a1", "m-a1-bx-c", "m-bx", "m-a-long-1", "m-tag-a1"), got.get("any"));
        assertEquals(got.get("all"), got.get("default-all"), "no x-match means all");
        assertEquals(Set.of("m-tag", "m-tag-a1"), got.get("any-with-x"));
        assertEquals(Set.of(), got.get("any-x"), "plain any ignores x-* keys in the binding");
        assertEquals(Set.of("m-tag-a1"), got.get("all-with-x"));
        // plain all ignores the binding's x-tag, so it only needs a=1 (int and long compare equal)
        assertEquals(Set.of("m-a1-bx", "m-a1", "m-a1-bx-c", "m-a-long-1", "m-tag-a1"), got.get("all-x"));
        assertEquals(Set.of("m-a-string-1"), got.get("string-1"), "1 is not \"1\"");
        assertEquals(new TreeSet<>(messages.keySet()), got.get("empty"), "no arguments match everything");
        assertEquals(Set.of("m-p"), got.get("presence"));
    }

    @Test
    void headersBindingWithBadXMatchIs406() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "headers");
        String q = declareQueue();
        String text = assertChannelError(406, ch, () -> ch.queueBind(q, x, "", Map.of("x-match", "some")));
        assertEquals("PRECONDITION_FAILED - Invalid x-match field value <<\"some\">>; expected all, any, all-with-x, or any-with-x", text);
    }

    @Test
    void amqHeadersAndAmqMatchRouteByHeaders() throws Exception {
        String tag = uniqueName("tag");
        for (String x : List.of("amq.headers", "amq.match")) {
            String q = boundQueue(x, "", Map.of("x-match", "all", "tag", tag));
            Map<String, Map<String, Object>> msgs = Map.of("yes", Map.of("tag", tag), "no", Map.of("tag", "other"));
            try {
                assertEquals(Set.of("yes"), route(x, Map.of("q", q), List.of("yes", "no"), msgs).get("q"), x);
            } finally {
                ch.queueUnbind(q, x, "", Map.of("x-match", "all", "tag", tag));
            }
        }
    }

    @Test
    void amqTopicAndAmqFanout() throws Exception {
        String key = uniqueName("k");
        String qt = boundQueue("amq.topic", key + ".#", null);
        try {
            assertEquals(Set.of(key + ".a.b"), route("amq.topic", Map.of("q", qt), List.of(key + ".a.b", "zz." + key), null).get("q"));
        } finally {
            ch.queueUnbind(qt, "amq.topic", key + ".#");
        }
    }

    @Test
    void aQueueBoundTwiceGetsOneCopy() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "topic");
        String q = boundQueue(x, "a.*", null);
        ch.queueBind(q, x, "*.b");
        ch.queueBind(q, x, "#");
        ch.confirmSelect();
        ch.basicPublish(x, "a.b", null, "once".getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(5_000);
        assertEquals(1, ch.messageCount(q));
    }

    @Test
    void exchangeToExchangeDeduplicatesDestinations() throws Exception {
        String top = exchangeName("top");
        String left = exchangeName("left");
        String right = exchangeName("right");
        ch.exchangeDeclare(top, "fanout");
        ch.exchangeDeclare(left, "fanout");
        ch.exchangeDeclare(right, "fanout");
        ch.exchangeBind(left, top, "");
        ch.exchangeBind(right, top, "");
        String q = boundQueue(left, "", null);
        ch.queueBind(q, right, "");
        ch.queueBind(q, top, "");
        ch.confirmSelect();
        ch.basicPublish(top, "", null, "diamond".getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(5_000);
        assertEquals(1, ch.messageCount(q));
    }
}
