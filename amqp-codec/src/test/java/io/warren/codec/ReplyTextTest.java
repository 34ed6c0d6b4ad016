package io.warren.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.codec.method.ChannelClose;
import io.warren.codec.method.ConnectionClose;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ReplyTextTest {

    @Test
    void shortTextsAreUnchanged() {
        String t = "x".repeat(255);
        assertSame(t, ReplyText.fit(t));
        assertEquals("", ReplyText.fit(""));
        assertNull(ReplyText.fit(null));
    }

    @Test
    void longTextsKeep252BytesAndAnEllipsisAsRabbitMq() {
        String t = "NOT_FOUND - no queue '" + "q".repeat(255) + "' in vhost '/'";
        String fitted = ReplyText.fit(t);
        assertEquals(255, fitted.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(t.substring(0, 252) + "...", fitted);
    }

    @Test
    void aMultiByteCharacterIsNeverCutInHalf() {
        String t = "x" + "é".repeat(200); // the 252-byte cut falls inside an 'é'
        String fitted = ReplyText.fit(t);
        assertEquals("x" + "é".repeat(125) + "...", fitted);
        assertEquals(254, fitted.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void closeMethodsWithLongTextsStillEncode() {
        String text = "y".repeat(1000);
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameWriter.writeMethod(buf, 1, new ChannelClose(404, text, 50, 10));
            FrameWriter.writeMethod(buf, 0, new ConnectionClose(530, text, 60, 20));
            // frame header (7) + class/method (4) + code (2) + shortstr (1 + 255) + ids (4) + frame end (1)
            assertEquals(2 * (7 + 4 + 2 + 1 + 255 + 4 + 1), buf.readableBytes());
        } finally {
            buf.release();
        }
    }
}
