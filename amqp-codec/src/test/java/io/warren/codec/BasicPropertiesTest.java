package io.warren.codec;

import static io.warren.codec.TestFrames.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicPropertiesTest {

    static BasicProperties all() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("x-match", "all");
        headers.put("n", 5);
        headers.put("list", List.of(new Timestamp(5), new UnsignedByte(3)));
        return new BasicProperties("application/json", "gzip", headers, 2, 9, "corr-ü", "reply.q", "60000",
                "msg-1", 1_700_000_000L, "order.created", "guest", "app", "cluster");
    }

    @Test
    void allFourteenPropertiesRoundTrip() {
        BasicProperties p = all();
        byte[] raw = p.encode();
        assertEquals("fffc", ByteBufUtil.hexDump(raw, 0, 2));
        BasicProperties decoded = BasicProperties.decode(raw);
        assertEquals(p, decoded);
        assertArrayEquals(raw, decoded.encode());
    }

    @Test
    void noPropertiesIsJustAZeroFlagsWord() {
        assertEquals("0000", ByteBufUtil.hexDump(BasicProperties.EMPTY.encode()));
        assertEquals(BasicProperties.EMPTY, BasicProperties.decode(new byte[2]));
    }

    @Test
    void someProperties() {
        BasicProperties p = new BasicProperties("text/plain", null, null, 2, null, null, null, null, null, 77L,
                null, null, null, null);
        byte[] raw = p.encode();
        // content-type (bit 15), delivery-mode (bit 12), timestamp (bit 6)
        assertEquals("9040" + "0a746578742f706c61696e" + "02" + "000000000000004d", ByteBufUtil.hexDump(raw));
        assertEquals(p, BasicProperties.decode(raw));
        assertTrue(p.persistent());
    }

    /** Bytes as amqp-client writes them for headers + priority + expiration, reproduced byte for byte. */
    @Test
    void handWrittenBytesReEncodeExactly() {
        byte[] raw = hex("2900 00000013 01 61 53 00000001 62 01 6c 6c 0000000000000001 05 06 313030303030");
        // flags 0x2900: headers (13), priority (11), expiration (8)
        BasicProperties p = BasicProperties.decode(raw);
        assertEquals(Map.of("a", "b", "l", 1L), p.headers());
        assertEquals(5, p.priority());
        assertEquals("100000", p.expiration());
        assertNull(p.contentType());
        assertArrayEquals(raw, p.encode());
    }

    @Test
    void continuationFlagWordsAreSkipped() {
        // content-type with the continuation bit set, then an empty second flags word.
        BasicProperties p = BasicProperties.decode(hex("8001 0000 01 78"));
        assertEquals("x", p.contentType());
        assertFalse(p.persistent());
    }

    @Test
    void malformedPropertyListsAreSyntaxErrors() {
        for (String bad : List.of("", "80", "8000", "8000 05 6162", "0000 00", "1000", "2000 00000009 01 61 5a")) {
            FrameException e = assertThrows(FrameException.class, () -> BasicProperties.decode(hex(bad)), bad);
            assertEquals(502, e.replyCode(), bad);
        }
    }

    @Test
    void outOfRangeValuesAreRejectedOnEncode() {
        assertThrows(IllegalArgumentException.class, () -> BasicProperties.EMPTY.withDeliveryMode(256).encode());
        BasicProperties longExpiration = BasicProperties.EMPTY.withExpiration("9".repeat(256));
        assertThrows(IllegalArgumentException.class, longExpiration::encode);
    }

    @Test
    void withCopiesChangeOneProperty() {
        BasicProperties p = all();
        BasicProperties q = p.withExpiration(null).withHeaders(Map.of("x-death", List.of()));
        assertNull(q.expiration());
        assertEquals(Map.of("x-death", List.of()), q.headers());
        assertEquals(p.messageId(), q.messageId());
        assertEquals(q, BasicProperties.decode(q.encode()));
    }
}
