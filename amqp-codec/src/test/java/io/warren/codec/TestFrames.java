package io.warren.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.warren.codec.method.AmqpMethod;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: encode frames to bytes and run bytes through a FrameDecoder in an EmbeddedChannel. */
public final class TestFrames {
    private TestFrames() {
    }

    public static byte[] methodBytes(int channel, AmqpMethod m) {
        ByteBuf out = Unpooled.buffer();
        try {
            FrameWriter.writeMethod(out, channel, m);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** Decodes all frames in {@code bytes}, fed in chunks of {@code chunk} bytes. Body payloads are copied. */
    public static List<Frame> decode(byte[] bytes, int chunk, int frameMax) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(frameMax));
        try {
            for (int off = 0; off < bytes.length; off += chunk) {
                ch.writeInbound(Unpooled.copiedBuffer(bytes, off, Math.min(chunk, bytes.length - off)));
            }
            return drain(ch);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    public static List<Frame> decode(byte[] bytes) {
        return decode(bytes, bytes.length, 0);
    }

    public static Frame decodeOne(byte[] bytes) {
        List<Frame> frames = decode(bytes);
        if (frames.size() != 1) {
            throw new AssertionError("expected one frame, got " + frames);
        }
        return frames.get(0);
    }

    public static AmqpMethod roundTrip(AmqpMethod m) {
        return ((MethodFrame) decodeOne(methodBytes(1, m))).method();
    }

    /**
     * Reads all inbound frames; body frames are replaced by copies on unpooled heap buffers and the originals
     * released, so callers need not release anything.
     */
    public static List<Frame> drain(EmbeddedChannel ch) {
        List<Frame> frames = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            if (o instanceof ContentBodyFrame b) {
                byte[] copy = ByteBufUtil.getBytes(b.payload());
                frames.add(new ContentBodyFrame(b.channel(), Unpooled.wrappedBuffer(copy)));
                b.release();
            } else {
                frames.add((Frame) o);
            }
        }
        return frames;
    }

    /** Decodes {@code bytes} expecting a FrameException; returns it. */
    public static FrameException decodeError(byte[] bytes, int frameMax) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(frameMax));
        try {
            ch.writeInbound(Unpooled.copiedBuffer(bytes));
            throw new AssertionError("no error; decoded " + drain(ch));
        } catch (DecoderException e) {
            if (e.getCause() instanceof FrameException fe) {
                return fe;
            }
            throw e;
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteBuf b = Unpooled.buffer();
        try {
            for (byte[] p : parts) {
                b.writeBytes(p);
            }
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    public static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replaceAll("\\s+", ""));
    }
}
