package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties, header value types, body sizes and ordering survive the trip through the broker. */
class MessageContentTest extends InteropTestBase {

    static Map<String, Object> everyHeaderType() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("inner", "value");
        nested.put("deeper", Map.of("n", 1));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("string", "héllo wörld");
        h.put("longstr-bytes", LongStringHelper.asLongString(new byte[]{0, 1, 2, (byte) 0xff}));
        h.put("int", 42);
        h.put("int-negative", -7);
        h.put("long", 1L << 40);
        h.put("short", (short) -12);
        h.put("byte", (byte) -3);
        h.put("float", 1.5f);
        h.put("double", Math.PI);
        h.put("decimal", new BigDecimal("123.45"));
        h.put("true", true);
        h.put("false", false);
        h.put("timestamp", new Date(1_700_000_000_000L)); // whole seconds: AMQP timestamps have no millis
        h.put("bytes", new byte[]{9, 8, 7});
        h.put("table", nested);
        h.put("array", List.of(1, "two", 3L, List.of("nested"), Map.of("k", "v")));
        h.put("empty-array", List.of());
        h.put("empty-table", Map.of());
        h.put("void", null);
        h.put("x-custom", "x-keys are plain headers");
        return h;
    }

    static AMQP.BasicProperties allProperties() {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("gzip")
                .headers(everyHeaderType())
                .deliveryMode(2)
                .priority(7)
                .correlationId("corr-1")
                .replyTo("reply-queue")
                .expiration("600000")
                .messageId("msg-1")
                .timestamp(new Date(1_650_000_000_000L))
                .type("order.created")
                .userId("guest")
                .appId("interop-tests")
                .clusterId("cluster-x")
                .build();
    }

    @Test
    void allFourteenPropertiesArriveIdentical() throws Exception {
        String q = declareQueue();
        AMQP.BasicProperties sent = allProperties();
        ch.basicPublish("", q, sent, utf8("props"));
        AMQP.BasicProperties got = getOrFail(ch, q, true).getProps();
        assertEquals(sent.getContentType(), got.getContentType());
        assertEquals(sent.getContentEncoding(), got.getContentEncoding());
        assertEquals(sent.getDeliveryMode(), got.getDeliveryMode());
        assertEquals(sent.getPriority(), got.getPriority());
        assertEquals(sent.getCorrelationId(), got.getCorrelationId());
        assertEquals(sent.getReplyTo(), got.getReplyTo());
        assertEquals(sent.getExpiration(), got.getExpiration());
        assertEquals(sent.getMessageId(), got.getMessageId());
        assertEquals(sent.getTimestamp(), got.getTimestamp());
        assertEquals(sent.getType(), got.getType());
        assertEquals(sent.getUserId(), got.getUserId());
        assertEquals(sent.getAppId(), got.getAppId());
        assertEquals(sent.getClusterId(), got.getClusterId());
        assertHeadersEqual(sent.getHeaders(), got.getHeaders());
    }

    @Test
    void propertiesArriveIdenticalThroughAConsumer() throws Exception {
        String q = declareQueue();
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        ch.basicConsume(q, true, (t, d) -> got.add(d), t -> { });
        AMQP.BasicProperties sent = allProperties();
        conn.createChannel().basicPublish("", q, sent, utf8("props"));
        Delivery d = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(d);
        assertEquals(sent.getMessageId(), d.getProperties().getMessageId());
        assertEquals(sent.getClusterId(), d.getProperties().getClusterId());
        assertHeadersEqual(sent.getHeaders(), d.getProperties().getHeaders());
    }

    @Test
    void noPropertiesStayAbsent() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, utf8("bare"));
        AMQP.BasicProperties p = getOrFail(ch, q, true).getProps();
        assertNull(p.getContentType());
        assertNull(p.getHeaders());
        assertNull(p.getDeliveryMode());
        assertNull(p.getPriority());
        assertNull(p.getTimestamp());
        assertNull(p.getUserId());
        assertNull(p.getExpiration());
    }

    @Test
    void emptyHeadersTableStaysEmpty() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().headers(Map.of()).build(), new byte[0]);
        assertEquals(Map.of(), getOrFail(ch, q, true).getProps().getHeaders());
    }

    @Test
    void userIdOtherThanTheConnectionsUserIs406() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().userId("mallory").build(), new byte[0]);
        assertEquals("PRECONDITION_FAILED - user_id property set to 'mallory' but authenticated user was 'guest'",
                awaitChannelError(406, ch));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "1.5"})
    void invalidExpirationIs406(String expiration) throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration(expiration).build(), new byte[0]);
        String text = awaitChannelError(406, ch);
        // RabbitMQ appends an Erlang reason: "no_integer", "{value_negative,-1}", "{leftover_string,\".5\"}"
        assertTrue(text.startsWith("PRECONDITION_FAILED - invalid expiration '" + expiration + "'"), text);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 131_064, 131_072, 200 * 1024, 1 << 20})
    void bodiesArriveByteIdentical(int size) throws Exception {
        String q = declareQueue();
        byte[] body = randomBytes(size, size);
        ch.basicPublish("", q, null, body);
        GetResponse r = getOrFail(ch, q, true);
        assertArrayEquals(body, r.getBody());
        // and through a consumer
        BlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
        Channel c = conn.createChannel();
        c.basicConsume(q, true, (t, d) -> got.add(d.getBody()), t -> { });
        ch.basicPublish("", q, null, body);
        byte[] consumed = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(consumed);
        assertArrayEquals(body, consumed);
    }

    @Test
    void sixteenMebibyteBodyArrivesByteIdentical() throws Exception {
        String q = declareQueue();
        byte[] body = randomBytes(16 << 20, 16);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
        ch.confirmSelect();
        ch.basicPublish("", q, null, body);
        ch.waitForConfirmsOrDie(30_000);
        GetResponse r = getOrFail(ch, q, true);
        assertEquals(body.length, r.getBody().length);
        assertArrayEquals(digest, MessageDigest.getInstance("SHA-256").digest(r.getBody()));
    }

    @Test
    void smallFrameMaxSplitsLargeBodies() throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedFrameMax(4096);
        Connection small = track(f.newConnection());
        assertEquals(4096, small.getFrameMax());
        Channel sc = small.createChannel();
        String q = declareQueue();
        byte[] body = randomBytes(200 * 1024, 7);
        sc.basicPublish("", q, null, body);
        assertArrayEquals(body, getOrFail(sc, q, true).getBody(), "split by a 4096 frame_max both ways");
        ch.basicPublish("", q, null, body);
        assertArrayEquals(body, getOrFail(sc, q, true).getBody());
    }

    @Test
    void orderIsKeptPerQueueOver10000Messages() throws Exception {
        String q = declareQueue();
        int n = 10_000;
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        Channel consumer = newConnection().createChannel();
        consumer.basicQos(500);
        consumer.basicConsume(q, false, (t, d) -> {
            got.add(d);
            if (d.getEnvelope().getDeliveryTag() % 100 == 0) {
                consumer.basicAck(d.getEnvelope().getDeliveryTag(), true);
            }
        }, t -> { });
        ch.confirmSelect();
        for (int i = 0; i < n; i++) {
            ch.basicPublish("", q, null, ByteBuffer.allocate(4).putInt(i).array());
        }
        ch.waitForConfirmsOrDie(30_000);
        for (int i = 0; i < n; i++) {
            Delivery d = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(d, "message " + i + " of " + n);
            assertEquals(i, ByteBuffer.wrap(d.getBody()).getInt(), "order at position " + i);
            assertEquals(i + 1, d.getEnvelope().getDeliveryTag());
        }
    }

    @Test
    void orderIsKeptPerPublisherWithGet() throws Exception {
        String q = declareQueue();
        Channel a = conn.createChannel();
        Channel b = conn.createChannel();
        for (int i = 0; i < 500; i++) {
            a.basicPublish("", q, null, utf8("a" + i));
            b.basicPublish("", q, null, utf8("b" + i));
        }
        awaitMessageCount(q, 1000);
        int nextA = 0;
        int nextB = 0;
        GetResponse r;
        while ((r = ch.basicGet(q, true)) != null) {
            String s = new String(r.getBody());
            if (s.startsWith("a")) {
                assertEquals("a" + nextA++, s);
            } else {
                assertEquals("b" + nextB++, s);
            }
        }
        assertEquals(500, nextA);
        assertEquals(500, nextB);
    }

    // ------------------------------------------------------------------ helpers

    static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** amqp-client decodes strings as LongString and arrays as lists; compare by value. */
    static void assertHeadersEqual(Map<String, Object> sent, Map<String, Object> got) {
        assertNotNull(got, "headers");
        assertEquals(sent.keySet(), got.keySet());
        for (String k : sent.keySet()) {
            assertValueEquals(k, sent.get(k), got.get(k));
        }
    }

    @SuppressWarnings("unchecked")
    static void assertValueEquals(String path, Object sent, Object got) {
        if (sent == null) {
            assertNull(got, path);
        } else if (sent instanceof String s) {
            assertInstanceOf(LongString.class, got, path);
            assertEquals(s, got.toString(), path);
        } else if (sent instanceof LongString ls) {
            assertInstanceOf(LongString.class, got, path);
            assertArrayEquals(ls.getBytes(), ((LongString) got).getBytes(), path);
        } else if (sent instanceof byte[] bytes) {
            assertInstanceOf(byte[].class, got, path);
            assertArrayEquals(bytes, (byte[]) got, path);
        } else if (sent instanceof Map<?, ?> m) {
            assertInstanceOf(Map.class, got, path);
            Map<String, Object> gm = (Map<String, Object>) got;
            assertEquals(m.keySet(), gm.keySet(), path);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertValueEquals(path + "." + e.getKey(), e.getValue(), gm.get((String) e.getKey()));
            }
        } else if (sent instanceof List<?> l) {
            assertInstanceOf(List.class, got, path);
            List<Object> gl = (List<Object>) got;
            assertEquals(l.size(), gl.size(), path);
            for (int i = 0; i < l.size(); i++) {
                assertValueEquals(path + "[" + i + "]", l.get(i), gl.get(i));
            }
        } else {
            // numbers, booleans, decimals, dates: same Java type means same AMQP field type
            assertNotNull(got, path);
            assertEquals(sent.getClass(), got.getClass(), path + " type");
            assertEquals(sent, got, path);
        }
    }
}
