package io.warren.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Short strings: length byte then UTF-8, up to 255 bytes; a longer one writes nothing and is refused. */
class WireTest {
    @Test
    void shortStringsRoundTripWithTheirUtf8Length() {
        ByteBuf buf = Unpooled.buffer();
        String multiByte = "ключ.é.😀";
        Wire.writeShortStr(buf, "amq.direct");
        Wire.writeShortStr(buf, multiByte);
        Wire.writeShortStr(buf, "");
        Wire.writeShortStr(buf, null);
        String max = "x".repeat(255);
        Wire.writeShortStr(buf, max);
        assertEquals(10, buf.getUnsignedByte(0));
        assertEquals(multiByte.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, buf.getUnsignedByte(11));
        assertEquals("amq.direct", Wire.readShortStr(buf));
        assertEquals(multiByte, Wire.readShortStr(buf));
        assertEquals("", Wire.readShortStr(buf));
        assertEquals("", Wire.readShortStr(buf));
        assertEquals(max, Wire.readShortStr(buf));
        assertFalse(buf.isReadable());
    }

    @Test
    void aStringOver255BytesIsRefusedAndLeavesTheBufferAsItWas() {
        ByteBuf buf = Unpooled.buffer();
        Wire.writeShortStr(buf, "before");
        int end = buf.writerIndex();
        // 128 two-byte characters: 128 chars, 256 bytes
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wire.writeShortStr(buf, "é".repeat(128)));
        assertTrue(e.getMessage().contains("256"), e.getMessage());
        assertEquals(end, buf.writerIndex(), "nothing of it written");
        assertEquals("before", Wire.readShortStr(buf));
    }
}
