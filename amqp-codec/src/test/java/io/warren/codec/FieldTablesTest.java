package io.warren.codec;

import static io.warren.codec.TestFrames.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FieldTablesTest {

    static byte[] encode(Consumer<ByteBuf> writer) {
        ByteBuf b = Unpooled.buffer();
        try {
            writer.accept(b);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] encodeTable(Map<String, ?> t) {
        return encode(b -> FieldTables.write(b, t));
    }

    static byte[] encodeValue(Object v) {
        return encode(b -> FieldTables.writeValue(b, v));
    }

    static Map<String, Object> decodeTable(byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            Map<String, Object> t = FieldTables.read(b);
            assertEquals(0, b.readableBytes(), "table must consume exactly its bytes");
            return t;
        } finally {
            b.release();
        }
    }

    static Object decodeValue(byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            Object v = FieldTables.readValue(b);
            assertEquals(0, b.readableBytes());
            return v;
        } finally {
            b.release();
        }
    }

    /** Value with its expected wire bytes (tag included); checks encode, decode and re-encode. */
    static void assertValue(Object value, String expectedHex) {
        byte[] wire = encodeValue(value);
        assertEquals(expectedHex.replace(" ", ""), ByteBufUtil.hexDump(wire));
        Object decoded = decodeValue(wire);
        if (value instanceof byte[] b) {
            assertArrayEquals(b, (byte[]) decoded);
        } else {
            assertEquals(value, decoded);
        }
        assertArrayEquals(wire, encodeValue(decoded));
    }

    @Test
    void everyTypeHasItsTagAndWidth() {
        assertValue(true, "74 01");
        assertValue(false, "74 00");
        assertValue((byte) -2, "62 fe");
        assertValue(new UnsignedByte(254), "42 fe");
        assertValue((short) -2, "73 fffe");
        assertValue(new UnsignedShort(65534), "75 fffe");
        assertValue(-2, "49 fffffffe");
        assertValue(new UnsignedInt(4294967294L), "69 fffffffe");
        assertValue(-2L, "6c fffffffffffffffe");
        assertValue(1.5f, "66 3fc00000");
        assertValue(-0.25d, "64 bfd0000000000000");
        assertValue(new BigDecimal("-12.345"), "44 03 ffffcfc7");
        assertValue("hi", "53 00000002 6869");
        assertValue(new byte[] {0, (byte) 0xFF}, "78 00000002 00ff");
        assertValue(new Timestamp(1_700_000_000L), "54 000000006553f100");
        assertValue(null, "56");
        assertValue(List.of(1, "a"), "41 0000000b 49 00000001 53 00000001 61");
        assertValue(Map.of("k", true), "46 00000004 01 6b 74 01");
    }

    @Test
    void extremeValuesOfEachWidth() {
        for (Object v : List.of(Byte.MIN_VALUE, Byte.MAX_VALUE, Short.MIN_VALUE, Short.MAX_VALUE,
                Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
                new UnsignedByte(0), new UnsignedByte(255), new UnsignedShort(0), new UnsignedShort(65535),
                new UnsignedInt(0), new UnsignedInt(0xFFFFFFFFL), Float.NaN, Double.NEGATIVE_INFINITY,
                new BigDecimal(BigInteger.valueOf(Integer.MIN_VALUE), 255), new Timestamp(-1))) {
            Object decoded = decodeValue(encodeValue(v));
            assertEquals(v, decoded);
            assertEquals(v.getClass(), decoded.getClass());
        }
        assertThrows(IllegalArgumentException.class, () -> new UnsignedByte(256));
        assertThrows(IllegalArgumentException.class, () -> new UnsignedShort(-1));
        assertThrows(IllegalArgumentException.class, () -> new UnsignedInt(1L << 32));
    }

    @Test
    void longStringWithMultibyteUtf8() {
        String s = "grüße 😀 €".repeat(100);
        byte[] wire = encodeValue(s);
        assertEquals(1 + 4 + s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, wire.length);
        assertEquals(s, decodeValue(wire));
    }

    @Test
    void nestedTablesInArraysInTables() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("count", 1L);
        inner.put("reason", "expired");
        inner.put("time", new Timestamp(1_600_000_000L));
        inner.put("routing-keys", List.of("a", "b"));
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("x-death", List.of(inner, Map.of("deeper", List.of(List.of(Map.of("z", new UnsignedShort(7)))))));
        table.put("void", null);
        byte[] wire = encodeTable(table);
        Map<String, Object> decoded = decodeTable(wire);
        assertEquals(table, decoded);
        assertInstanceOf(LinkedHashMap.class, decoded);
        assertArrayEquals(wire, encodeTable(decoded));
    }

    @Test
    void decodedTablesKeepWireOrder() {
        Map<String, Object> t = new LinkedHashMap<>();
        for (String k : List.of("zeta", "alpha", "mid", "beta")) {
            t.put(k, k.length());
        }
        assertEquals(List.of("zeta", "alpha", "mid", "beta"), List.copyOf(decodeTable(encodeTable(t)).keySet()));
    }

    /** Bytes written by hand (not by our encoder) must come back byte for byte. */
    @Test
    void handWrittenTableReEncodesByteExact() {
        byte[] wire = hex("""
                00000088
                01 61 74 01
                01 62 62 80
                01 63 42 ff
                01 64 73 8000
                01 65 75 ffff
                01 66 49 80000000
                01 67 69 ffffffff
                01 68 6c 8000000000000000
                01 69 66 7f800000
                01 6a 64 3ff0000000000000
                01 6b 44 02 00003039
                01 6c 53 00000004 f09f9880
                01 6d 78 00000003 000102
                01 6e 54 0000000000000001
                01 6f 56
                01 70 41 0000000e 46 00000009 01 71 41 00000002 74 00
                01 72 46 00000000
                """);
        Map<String, Object> t = decodeTable(wire);
        assertEquals(17, t.size());
        assertEquals(new BigDecimal("123.45"), t.get("k"));
        assertEquals("😀", t.get("l"));
        assertEquals(List.of(Map.of("q", List.of(false))), t.get("p"));
        assertTrue(t.containsKey("o"));
        assertNull(t.get("o"));
        assertArrayEquals(wire, encodeTable(t));
    }

    @Test
    void capitalLIsReadAsSignedLongLikeRabbitmq() {
        assertEquals(-1L, decodeValue(hex("4c ffffffffffffffff")));
    }

    @Test
    void nullTableEncodesAsEmpty() {
        assertEquals("00000000", ByteBufUtil.hexDump(encodeTable(null)));
        assertEquals(Map.of(), decodeTable(hex("00000000")));
    }

    @Test
    void extraJavaTypesOnEncode() {
        assertEquals(new Timestamp(1234), decodeValue(encodeValue(new Date(1_234_567L))));
        assertEquals("c", decodeValue(encodeValue('c')));
        assertEquals("sb", decodeValue(encodeValue(new StringBuilder("sb"))));
        assertEquals(Long.MAX_VALUE, decodeValue(encodeValue(BigInteger.valueOf(Long.MAX_VALUE))));
        assertEquals(List.of(1, "x"), decodeValue(encodeValue(new Object[] {1, "x"})));
        assertEquals(5L, decodeValue(encodeValue(new AtomicLong(5))));
        assertEquals(List.of(3), decodeValue(encodeValue(new java.util.TreeSet<>(List.of(3)))));
    }

    @Test
    void unencodableValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> encodeValue(new Object()));
        assertThrows(IllegalArgumentException.class, () -> encodeValue(BigInteger.ONE.shiftLeft(64)));
        assertThrows(IllegalArgumentException.class, () -> encodeValue(new BigDecimal("1E+3")));
        assertThrows(IllegalArgumentException.class, () -> encodeValue(new BigDecimal("12345678901.5")));
        assertThrows(IllegalArgumentException.class, () -> encodeTable(Map.of("k".repeat(256), 1)));
        Map<String, Object> cyclic = new LinkedHashMap<>();
        cyclic.put("self", cyclic);
        assertThrows(IllegalArgumentException.class, () -> encodeTable(cyclic));
    }

    @Test
    void unknownTagIsASyntaxError() {
        FrameException e = assertThrows(FrameException.class, () -> decodeTable(hex("00000003 01 61 5a")));
        assertEquals(502, e.replyCode());
        assertEquals("SYNTAX_ERROR - unknown field type 'Z'", e.replyText());
    }

    @Test
    void truncatedDataIsASyntaxError() {
        for (String bad : List.of("000000", "00000005 01 61", "00000004 01 61 49 00", "00000007 01 61 53 00000009",
                "00000003 05 61 74")) {
            FrameException e = assertThrows(FrameException.class, () -> decodeTable(hex(bad)), bad);
            assertEquals(502, e.replyCode(), bad);
            assertTrue(e.replyText().startsWith("SYNTAX_ERROR - "), e.replyText());
        }
        assertEquals(502, assertThrows(FrameException.class, () -> decodeValue(hex("49 0000"))).replyCode());
        ByteBuf arr = Unpooled.wrappedBuffer(hex("00000002 49 00"));
        try {
            assertEquals(502, assertThrows(FrameException.class, () -> FieldTables.readArray(arr)).replyCode());
        } finally {
            arr.release();
        }
    }

    @Test
    void hostileNestingIsRejectedNotAStackOverflow() {
        int depth = 5000;
        ByteBuf b = Unpooled.buffer();
        try {
            // depth nested arrays: 'A' len ( 'A' len ( ... ) )
            int[] lens = new int[depth];
            int len = 0;
            for (int i = depth - 1; i >= 0; i--) {
                lens[i] = len;
                len += 5;
            }
            b.writeInt(len + 3).writeByte(1).writeByte('a');
            for (int i = 0; i < depth; i++) {
                b.writeByte('A').writeInt(lens[i]);
            }
            byte[] wire = ByteBufUtil.getBytes(b);
            FrameException e = assertThrows(FrameException.class, () -> decodeTable(wire));
            assertEquals(502, e.replyCode());
        } finally {
            b.release();
        }
    }

    @Test
    void arraysRoundTrip() {
        List<Object> values = Arrays.asList(1, null, "s", List.of(), Map.of());
        byte[] wire = encode(b -> FieldTables.writeArray(b, values));
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        try {
            assertEquals(values, FieldTables.readArray(in));
        } finally {
            in.release();
        }
    }
}
