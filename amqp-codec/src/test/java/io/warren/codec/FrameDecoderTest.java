package io.warren.codec;

import static io.warren.codec.TestFrames.concat;
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
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.warren.codec.method.BasicAck;
import io.warren.codec.method.BasicPublish;
import io.warren.codec.method.ChannelOpen;
import io.warren.codec.method.QueueDeclare;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    static byte[] content(int channel, byte[] body, int frameMax) {
        ByteBuf out = Unpooled.buffer();
        try {
            FrameWriter.writeContent(out, channel, new BasicPublish("ex", "rk", false, false),
                    BasicPropertiesTest.all().encode(), body, frameMax);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    @Test
    void framesSplitAtEveryByteBoundaryDecodeTheSame() {
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        byte[] wire = concat(TestFrames.methodBytes(0, new ChannelOpen()), content(7, body, 4096),
                heartbeat(), TestFrames.methodBytes(7, new BasicAck(1, false)));
        List<Frame> whole = TestFrames.decode(wire, wire.length, 4096);
        List<Frame> bytewise = TestFrames.decode(wire, 1, 4096);
        List<Frame> odd = TestFrames.decode(wire, 13, 4096);
        assertEquals(6, whole.size());
        assertEquals(whole, bytewise);
        assertEquals(whole, odd);
        assertEquals(new MethodFrame(0, new ChannelOpen()), whole.get(0));
        ContentHeaderFrame header = (ContentHeaderFrame) whole.get(2);
        assertEquals(7, header.channel());
        assertEquals(60, header.classId());
        assertEquals(300, header.bodySize());
        assertEquals(BasicPropertiesTest.all(), header.properties());
        ContentBodyFrame bodyFrame = (ContentBodyFrame) whole.get(3);
        assertArrayEquals(body, ByteBufUtil.getBytes(bodyFrame.payload()));
        assertEquals(new HeartbeatFrame(0), whole.get(4));
    }

    @Test
    void bodyFramesAreRetainedSlicesTheReceiverReleases() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        try {
            ByteBuf in = Unpooled.directBuffer().writeBytes(hex("03 0001 00000003 616263 ce"));
            ch.writeInbound(in);
            ContentBodyFrame f = ch.readInbound();
            assertEquals(1, f.channel());
            assertEquals("abc", f.payload().toString(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(1, f.payload().refCnt());
            assertTrue(f.release());
            assertEquals(0, in.refCnt(), "the slice held the only remaining reference");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void oversizedFrameIsRejectedFromItsHeaderAlone() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        // Only the 7-byte header: size 4097 > frame_max 4096 (RabbitMQ tolerates up to frame_max itself).
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(hex("01 0000 00001001"))));
        FrameException fe = assertInstanceOf(FrameException.class, e.getCause());
        assertEquals(501, fe.replyCode());
        assertEquals("FRAME_ERROR - type 1, all octets = <<>>: {frame_too_large,4097,4088}", fe.replyText());
        ch.finishAndReleaseAll();
    }

    @Test
    void payloadOfExactlyFrameMaxIsToleratedLikeRabbitmq() {
        byte[] frame = concat(hex("03 0001 00001000"), new byte[4096], hex("ce"));
        List<Frame> frames = TestFrames.decode(frame, frame.length, 4096);
        assertEquals(4096, ((ContentBodyFrame) frames.get(0)).payload().readableBytes());
    }

    @Test
    void setMaxFrameSizeAppliesToLaterFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(0));
        try {
            FrameDecoder d = ch.pipeline().get(FrameDecoder.class);
            ch.writeInbound(Unpooled.wrappedBuffer(concat(hex("03 0001 00002000"), new byte[8192], hex("ce"))));
            ((ContentBodyFrame) ch.readInbound()).release();
            d.setMaxFrameSize(4096);
            assertEquals(4096, d.maxFrameSize());
            assertThrows(DecoderException.class,
                    () -> ch.writeInbound(Unpooled.wrappedBuffer(hex("03 0001 00002000"))));
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void badFrameEnd() {
        FrameException e = TestFrames.decodeError(hex("08 0000 00000000 00"), 4096);
        assertEquals(501, e.replyCode());
        assertEquals("FRAME_ERROR - type 8, all octets = <<>>: {invalid_frame_end_marker,0}", e.replyText());
        byte[] longer = concat(hex("03 0001 00000014"), "abcdefghijklmnopqrst".getBytes(), hex("cd"));
        assertEquals("FRAME_ERROR - type 3, first 16 octets = <<\"abcdefghijklmnop\">>: {invalid_frame_end_marker,205}",
                TestFrames.decodeError(longer, 4096).replyText());
    }

    @Test
    void unknownFrameType() {
        FrameException e = TestFrames.decodeError(hex("09 0000 00000002 0102 ce"), 4096);
        assertEquals(501, e.replyCode());
        assertEquals("FRAME_ERROR - type 9, all octets = <<1,2>>: unknown_frame", e.replyText());
    }

    @Test
    void malformedFramesOfKnownTypes() {
        // method payload shorter than class+method ids, header shorter than 12 bytes, heartbeat with payload
        for (String bad : List.of(
                "01 0001 00000003 000a00 ce", "02 0001 00000004 003c0000 ce", "08 0000 00000001 00 ce")) {
            FrameException e = TestFrames.decodeError(hex(bad), 4096);
            assertEquals(501, e.replyCode(), bad);
            assertTrue(e.replyText().endsWith(": unknown_frame"), e.replyText());
        }
    }

    @Test
    void unknownMethodId() {
        FrameException e = TestFrames.decodeError(hex("01 0001 00000004 003c03e7 ce"), 4096);
        assertEquals(503, e.replyCode());
        assertEquals("COMMAND_INVALID - unknown method (class 60, method 999)", e.replyText());
        assertEquals(60, e.classId());
        assertEquals(999, e.methodId());
        assertEquals(503, TestFrames.decodeError(hex("01 0001 00000004 00630001 ce"), 4096).replyCode());
    }

    @Test
    void truncatedMethodArguments() {
        // basic.ack needs a longlong and a bit octet; only 3 bytes follow.
        FrameException e = TestFrames.decodeError(hex("01 0001 00000007 003c0050 000102 ce"), 4096);
        assertEquals(501, e.replyCode());
        assertEquals("FRAME_ERROR - cannot decode <<0,1,2>>", e.replyText());
        assertEquals(60, e.classId());
        assertEquals(80, e.methodId());
        // queue.declare whose queue name claims 200 bytes
        assertEquals(501, TestFrames.decodeError(hex("01 0001 00000008 0032000a 0000 c8 61 ce"), 4096).replyCode());
    }

    @Test
    void extraBytesAfterTheArgumentsAreRejectedLikeRabbitmq() {
        FrameException e = TestFrames.decodeError(hex("01 0001 00000006 0014000a 00 00 ce"), 4096);
        assertEquals("FRAME_ERROR - cannot decode <<0,0>>", e.replyText()); // channel.open: reserved shortstr + 1
    }

    @Test
    void malformedUtf8InAShortstr() {
        FrameException e = TestFrames.decodeError(hex("01 0001 0000000e 0032000a 0000 02 c328 00 00000000 ce"), 4096);
        assertEquals(501, e.replyCode());
        assertEquals("FRAME_ERROR - Malformed UTF-8 in shortstr", e.replyText());
    }

    @Test
    void badTableInsideAMethod() {
        // queue.declare whose arguments table holds an unknown type tag 'Z'
        FrameException e = TestFrames.decodeError(
                hex("01 0001 0000000f 0032000a 0000 00 00 00000003 01 61 5a ce"), 4096);
        assertEquals(502, e.replyCode());
    }

    @Test
    void afterAnErrorAllInputIsDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        byte[] good = TestFrames.methodBytes(1, new BasicAck(5, true));
        assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(concat(hex("09 0000 00000000 ce"), good))));
        ch.writeInbound(Unpooled.wrappedBuffer(good));
        ch.writeInbound(Unpooled.wrappedBuffer(good));
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void replyTextsAreCutToAShortstrLikeRabbitmq() {
        String text = "NOT_FOUND - " + "ü".repeat(200);
        FrameException e = new FrameException(404, text);
        byte[] utf8 = e.replyText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(utf8.length <= 255, "" + utf8.length);
        assertTrue(e.replyText().endsWith("..."));
    }

    @Test
    void queueDeclareWithArgumentsDecodes() {
        QueueDeclare q = new QueueDeclare("q", false, true, false, false, false, Map.of("x-queue-type", "quorum"));
        assertEquals(q, TestFrames.roundTrip(q));
    }

    static byte[] heartbeat() {
        ByteBuf b = Unpooled.buffer();
        try {
            FrameWriter.writeHeartbeat(b);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }
}
