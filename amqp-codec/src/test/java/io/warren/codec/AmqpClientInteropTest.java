package io.warren.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;
import io.warren.codec.method.AmqpMethod;
import io.warren.codec.method.BasicPublish;
import io.warren.codec.method.MethodSamples;
import io.warren.codec.method.QueueDeclare;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Cross-checks our bytes against the RabbitMQ Java client's own frame, method and property code. */
class AmqpClientInteropTest {

    static byte[] bytes(com.rabbitmq.client.impl.Frame... frames) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        for (com.rabbitmq.client.impl.Frame f : frames) {
            f.writeTo(out);
        }
        out.flush();
        return bos.toByteArray();
    }

    static com.rabbitmq.client.impl.Frame clientFrame(byte[] wire) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire));
        com.rabbitmq.client.impl.Frame f = com.rabbitmq.client.impl.Frame.readFrom(in, Integer.MAX_VALUE);
        assertEquals(0, in.available(), "one frame");
        return f;
    }

    static Stream<AmqpMethod> samples() {
        return MethodSamples.all().stream();
    }

    /**
     * Ours -> amqp-client reads it -> amqp-client writes it again. amqp-client keeps tables in a HashMap, so a
     * table's entries may come back in another order: then the frames must have the same length and decode to
     * the same method; without a table they must be byte-identical.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyMethodIsByteIdenticalToAmqpClient(AmqpMethod m) throws IOException {
        byte[] ours = TestFrames.methodBytes(3, m);
        com.rabbitmq.client.impl.Method theirs = AMQImpl.readMethodFrom(clientFrame(ours).getInputStream());
        assertEquals(m.classId(), theirs.protocolClassId());
        assertEquals(m.methodId(), theirs.protocolMethodId());
        assertEquals(m.name(), theirs.protocolMethodName());
        assertEquals(m.hasContent(), theirs.hasContent());
        byte[] theirBytes = bytes(theirs.toFrame(3));
        if (hasTable(m)) {
            assertEquals(ours.length, theirBytes.length);
        } else {
            assertArrayEquals(ours, theirBytes);
        }
        assertEquals(m, TestFrames.roundTrip(m));
        assertEquals(new MethodFrame(3, m), TestFrames.decodeOne(theirBytes));
    }

    static boolean hasTable(AmqpMethod m) {
        return Stream.of(m.getClass().getRecordComponents()).anyMatch(c -> c.getType() == Map.class);
    }

    /** Every value type amqp-client can write, in method arguments. */
    @Test
    void queueDeclareFromAmqpClient() throws IOException {
        Map<String, Object> args = everyClientType();
        byte[] wire = bytes(new AMQImpl.Queue.Declare(0, "orders", false, true, false, true, false, args).toFrame(9));
        MethodFrame f = (MethodFrame) TestFrames.decodeOne(wire);
        assertEquals(9, f.channel());
        QueueDeclare q = (QueueDeclare) f.method();
        assertEquals("orders", q.queue());
        assertEquals(false, q.passive());
        assertEquals(true, q.durable());
        assertEquals(false, q.exclusive());
        assertEquals(true, q.autoDelete());
        assertEquals(false, q.noWait());
        assertDecodedClientTypes(q.arguments());
        assertArrayEquals(wire, TestFrames.methodBytes(9, q), "re-encoded arguments are byte-identical");
    }

    @Test
    void publishWithContentFromAmqpClient() throws IOException {
        AMQP.BasicProperties props = new AMQP.BasicProperties("text/plain", "utf-8", everyClientType(), 2, 7,
                "corr", "replies", "1000", "id-1", new Date(1_700_000_000_000L), "t", "guest", "app", "cl");
        byte[] body = new byte[10_000];
        java.util.Arrays.fill(body, (byte) 'z');
        byte[] wire = bytes(new AMQImpl.Basic.Publish(0, "ex", "rk", true, false).toFrame(2),
                props.toFrame(2, body.length),
                com.rabbitmq.client.impl.Frame.fromBodyFragment(2, body, 0, 4088),
                com.rabbitmq.client.impl.Frame.fromBodyFragment(2, body, 4088, 4088),
                com.rabbitmq.client.impl.Frame.fromBodyFragment(2, body, 8176, body.length - 8176));
        List<Frame> frames = TestFrames.decode(wire, 1000, 4096);
        assertEquals(5, frames.size());
        assertEquals(new MethodFrame(2, new BasicPublish("ex", "rk", true, false)), frames.get(0));
        ContentHeaderFrame header = (ContentHeaderFrame) frames.get(1);
        assertEquals(60, header.classId());
        assertEquals(10_000, header.bodySize());
        BasicProperties p = header.properties();
        assertEquals(new BasicProperties("text/plain", "utf-8", p.headers(), 2, 7, "corr", "replies", "1000",
                "id-1", 1_700_000_000L, "t", "guest", "app", "cl"), p);
        assertDecodedClientTypes(p.headers());
        assertArrayEquals(header.rawProperties(), p.encode(), "properties re-encode byte for byte");
        assertEquals(4088, ((ContentBodyFrame) frames.get(2)).payload().readableBytes());
        assertEquals(4088, ((ContentBodyFrame) frames.get(3)).payload().readableBytes());
        assertEquals(1824, ((ContentBodyFrame) frames.get(4)).payload().readableBytes());
    }

    /** Our content frames, read by amqp-client, including the types only RabbitMQ's dialect has. */
    @Test
    void amqpClientReadsOurContent() throws IOException {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("B", new UnsignedByte(200));
        headers.put("u", new UnsignedShort(60000));
        headers.put("i", new UnsignedInt(4_000_000_000L));
        headers.put("T", new Timestamp(1_700_000_000L));
        headers.put("S", "grüße");
        headers.put("x", new byte[] {9, 8});
        headers.put("A", List.of(Map.of("k", 1)));
        BasicProperties ours = new BasicProperties("a/b", null, headers, 1, null, null, "r", null, null, 5L, null,
                null, "app", null);
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        byte[] wire;
        try {
            FrameWriter.writeContentHeader(out, 1, 60, 3, ours.encode());
            wire = io.netty.buffer.ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
        AMQP.BasicProperties theirs = (AMQP.BasicProperties) AMQImpl.readContentHeaderFrom(
                clientFrame(wire).getInputStream());
        assertEquals(3, theirs.getBodySize());
        assertEquals("a/b", theirs.getContentType());
        assertEquals(1, theirs.getDeliveryMode());
        assertNull(theirs.getPriority());
        assertEquals("r", theirs.getReplyTo());
        assertEquals(new Date(5000), theirs.getTimestamp());
        assertEquals("app", theirs.getAppId());
        Map<String, Object> h = theirs.getHeaders();
        assertEquals(60000, ((Number) h.get("u")).intValue());
        assertEquals(4_000_000_000L, ((Number) h.get("i")).longValue());
        assertEquals(200, ((Number) h.get("B")).intValue() & 0xFF);
        assertEquals(new Date(1_700_000_000_000L), h.get("T"));
        assertEquals("grüße", h.get("S").toString());
        assertArrayEquals(new byte[] {9, 8}, (byte[]) h.get("x"));
        assertEquals(1, ((Map<?, ?>) ((List<?>) h.get("A")).get(0)).get("k"));
    }

    static Map<String, Object> everyClientType() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("string", "plain ü");
        t.put("longstring", LongStringHelper.asLongString("long € string"));
        t.put("int", -7);
        t.put("decimal", new BigDecimal("-3.14"));
        t.put("date", new Date(1_600_000_000_000L));
        t.put("table", Map.of("inner", 1));
        t.put("byte", (byte) -1);
        t.put("double", 2.5d);
        t.put("float", -1.25f);
        t.put("long", Long.MIN_VALUE);
        t.put("short", (short) -300);
        t.put("bool", true);
        t.put("bytes", new byte[] {0, 1, (byte) 0xFE});
        t.put("null", null);
        t.put("list", List.of("a", 1, List.of(false)));
        t.put("array", new Object[] {"b", 2L});
        return t;
    }

    static void assertDecodedClientTypes(Map<String, Object> t) {
        assertEquals(everyClientType().keySet(), t.keySet()); // amqp-client copies method tables into a HashMap
        assertEquals("plain ü", t.get("string"));
        assertEquals("long € string", t.get("longstring"));
        assertEquals(-7, t.get("int"));
        assertEquals(new BigDecimal("-3.14"), t.get("decimal"));
        assertEquals(new Timestamp(1_600_000_000L), t.get("date"));
        assertEquals(Map.of("inner", 1), t.get("table"));
        assertEquals((byte) -1, t.get("byte"));
        assertEquals(2.5d, t.get("double"));
        assertEquals(-1.25f, t.get("float"));
        assertEquals(Long.MIN_VALUE, t.get("long"));
        assertEquals((short) -300, t.get("short"));
        assertEquals(true, t.get("bool"));
        assertArrayEquals(new byte[] {0, 1, (byte) 0xFE}, (byte[]) t.get("bytes"));
        assertNull(t.get("null"));
        assertEquals(List.of("a", 1, List.of(false)), t.get("list"));
        assertEquals(List.of("b", 2L), t.get("array"));
        assertInstanceOf(String.class, t.get("longstring"), "no LongString leaks into our types");
    }

    @Test
    void longStringTypeIsNotNeeded() {
        LongString ls = LongStringHelper.asLongString("x");
        assertEquals("x", ls.toString());
    }
}
