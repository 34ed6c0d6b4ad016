package io.warren.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warren.codec.method.BasicDeliver;
import io.warren.codec.method.ConnectionBlocked;
import io.warren.codec.method.QueueDeclareOk;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FrameWriterTest {

    static byte[] write(Consumer<ByteBuf> writer) {
        ByteBuf out = Unpooled.buffer();
        try {
            writer.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    @Test
    void bodyIsSplitByFrameMax() {
        byte[] body = new byte[10_000];
        byte[] wire = write(out -> FrameWriter.writeBody(out, 3, body, 4096));
        List<Frame> frames = TestFrames.decode(wire, wire.length, 4096);
        assertEquals(3, frames.size());
        int[] expected = {4088, 4088, 1824};
        for (int i = 0; i < 3; i++) {
            ContentBodyFrame f = (ContentBodyFrame) frames.get(i);
            assertEquals(3, f.channel());
            assertEquals(expected[i], f.payload().readableBytes());
        }
        assertEquals(10_000 + 3 * 8, wire.length);
    }

    @Test
    void bodyExactlyOneFrameLong() {
        byte[] wire = write(out -> FrameWriter.writeBody(out, 1, new byte[4088], 4096));
        assertEquals(4096, wire.length);
    }

    @Test
    void emptyBodyWritesNoFrame() {
        assertEquals(0, write(out -> FrameWriter.writeBody(out, 1, new byte[0], 4096)).length);
        assertEquals(0, write(out -> FrameWriter.writeBody(out, 1, Unpooled.EMPTY_BUFFER, 4096)).length);
    }

    @Test
    void byteBufBodyIsNotConsumedAndMatchesTheArrayVersion() {
        byte[] body = new byte[9000];
        new java.util.Random(1).nextBytes(body);
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[5], body).skipBytes(5);
        try {
            byte[] fromBuf = write(out -> FrameWriter.writeBody(out, 2, buf, 4096));
            assertEquals(9000, buf.readableBytes());
            assertArrayEquals(write(out -> FrameWriter.writeBody(out, 2, body, 4096)), fromBuf);
        } finally {
            buf.release();
        }
    }

    @Test
    void frameMaxZeroMeansOneBodyFrame() {
        assertEquals(100_008, write(out -> FrameWriter.writeBody(out, 1, new byte[100_000], 0)).length);
    }

    @Test
    void writeContentWritesMethodHeaderAndBodies() {
        BasicDeliver deliver = new BasicDeliver("ctag", 9, false, "ex", "rk");
        byte[] props = BasicProperties.EMPTY.withExpiration("5").encode();
        byte[] body = "x".repeat(5000).getBytes();
        byte[] wire = write(out -> FrameWriter.writeContent(out, 4, deliver, props, body, 4096));
        List<Frame> frames = TestFrames.decode(wire, 7, 4096);
        assertEquals(4, frames.size());
        assertEquals(new MethodFrame(4, deliver), frames.get(0));
        assertEquals(new ContentHeaderFrame(4, 60, 5000, props), frames.get(1));
        assertEquals(4088, ((ContentBodyFrame) frames.get(2)).payload().readableBytes());
        assertEquals(912, ((ContentBodyFrame) frames.get(3)).payload().readableBytes());
        ByteBuf bodyBuf = Unpooled.wrappedBuffer(body);
        try {
            assertArrayEquals(wire, write(out -> FrameWriter.writeContent(out, 4, deliver, props, bodyBuf, 4096)));
        } finally {
            bodyBuf.release();
        }
    }

    @Test
    void exactBytesOfSmallFrames() {
        assertEquals("08" + "0000" + "00000000" + "ce",
                ByteBufUtil.hexDump(write(FrameWriter::writeHeartbeat)));
        assertEquals("01" + "0000" + "0000000c" + "000a003c" + "07" + "626c6f636b6564" + "ce",
                ByteBufUtil.hexDump(write(out -> FrameWriter.writeMethod(out, 0, new ConnectionBlocked("blocked")))));
        assertEquals("02" + "0005" + "0000000e" + "003c" + "0000" + "0000000000000003" + "0000" + "ce",
                ByteBufUtil.hexDump(write(out -> FrameWriter.writeContentHeader(out, 5, 60, 3, new byte[2]))));
        assertArrayEquals(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}, FrameWriter.PROTOCOL_HEADER);
    }

    @Test
    void failedWriteLeavesNoPartialFrame() {
        ByteBuf out = Unpooled.buffer();
        try {
            FrameWriter.writeHeartbeat(out);
            int before = out.writerIndex();
            assertThrows(IllegalArgumentException.class,
                    () -> FrameWriter.writeMethod(out, 1, new QueueDeclareOk("q".repeat(256), 0, 0)));
            assertThrows(IllegalArgumentException.class,
                    () -> FrameWriter.writeMethod(out, 1, new ConnectionBlocked("é".repeat(128))));
            assertEquals(before, out.writerIndex());
        } finally {
            out.release();
        }
    }

    @Test
    void tooSmallFrameMaxIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> write(out -> FrameWriter.writeBody(out, 1, new byte[1], 8)));
    }
}
