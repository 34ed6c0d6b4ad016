package io.warren.codec;

import io.netty.buffer.ByteBuf;
import io.warren.codec.method.AmqpMethod;

/**
 * Writes frames into a caller-supplied buffer, so the broker can batch many frames into one write. If a value
 * cannot be encoded (e.g. a shortstr over 255 bytes) an IllegalArgumentException is thrown and the buffer's
 * writer index is restored, so no half-written frame is ever sent.
 */
public final class FrameWriter {
    /** "AMQP" 0 0 9 1: sent by clients first, and by the broker when it refuses a protocol version. */
    public static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    private static final int HEADER_FIXED = 12; // class-id, weight, body-size

    private FrameWriter() {
    }

    public static void writeMethod(ByteBuf out, int channel, AmqpMethod m) {
        int start = out.writerIndex();
        try {
            out.writeByte(AmqpConstants.FRAME_METHOD);
            out.writeShort(channel);
            int sizeIndex = out.writerIndex();
            out.writeInt(0);
            out.writeShort(m.classId());
            out.writeShort(m.methodId());
            m.writeArguments(out);
            out.setInt(sizeIndex, out.writerIndex() - sizeIndex - 4);
            out.writeByte(AmqpConstants.FRAME_END);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    public static void writeHeartbeat(ByteBuf out) {
        out.writeByte(AmqpConstants.FRAME_HEARTBEAT);
        out.writeShort(0);
        out.writeInt(0);
        out.writeByte(AmqpConstants.FRAME_END);
    }

    /** Writes a content header frame; {@code rawProperties} are the flags and property list, as received. */
    public static void writeContentHeader(ByteBuf out, int channel, int classId, long bodySize, byte[] rawProperties) {
        out.writeByte(AmqpConstants.FRAME_HEADER);
        out.writeShort(channel);
        out.writeInt(HEADER_FIXED + rawProperties.length);
        out.writeShort(classId);
        out.writeShort(0);
        out.writeLong(bodySize);
        out.writeBytes(rawProperties);
        out.writeByte(AmqpConstants.FRAME_END);
    }

    /**
     * Writes {@code body} as body frames of at most frameMax - 8 payload bytes each (frameMax 0: one frame).
     * An empty body writes no frame.
     */
    public static void writeBody(ByteBuf out, int channel, byte[] body, int frameMax) {
        int chunk = maxPayload(frameMax);
        for (int off = 0; off < body.length; off += chunk) {
            int len = Math.min(chunk, body.length - off);
            writeBodyFrameHeader(out, channel, len);
            out.writeBytes(body, off, len);
            out.writeByte(AmqpConstants.FRAME_END);
        }
    }

    /** As {@link #writeBody(ByteBuf, int, byte[], int)} for the readable bytes of {@code body}, not consumed. */
    public static void writeBody(ByteBuf out, int channel, ByteBuf body, int frameMax) {
        int chunk = maxPayload(frameMax);
        int from = body.readerIndex();
        int total = body.readableBytes();
        for (int off = 0; off < total; off += chunk) {
            int len = Math.min(chunk, total - off);
            writeBodyFrameHeader(out, channel, len);
            out.writeBytes(body, from + off, len);
            out.writeByte(AmqpConstants.FRAME_END);
        }
    }

    /** Writes a content-bearing method, its header (class from the method) and the body frames. */
    public static void writeContent(ByteBuf out, int channel, AmqpMethod m, byte[] rawProperties, byte[] body,
                                    int frameMax) {
        writeMethod(out, channel, m);
        writeContentHeader(out, channel, m.classId(), body.length, rawProperties);
        writeBody(out, channel, body, frameMax);
    }

    /** As above with a ByteBuf body (readable bytes, not consumed). */
    public static void writeContent(ByteBuf out, int channel, AmqpMethod m, byte[] rawProperties, ByteBuf body,
                                    int frameMax) {
        writeMethod(out, channel, m);
        writeContentHeader(out, channel, m.classId(), body.readableBytes(), rawProperties);
        writeBody(out, channel, body, frameMax);
    }

    private static void writeBodyFrameHeader(ByteBuf out, int channel, int len) {
        out.writeByte(AmqpConstants.FRAME_BODY);
        out.writeShort(channel);
        out.writeInt(len);
    }

    private static int maxPayload(int frameMax) {
        if (frameMax == 0) {
            return Integer.MAX_VALUE;
        }
        if (frameMax <= AmqpConstants.FRAME_OVERHEAD) {
            throw new IllegalArgumentException("frameMax too small: " + frameMax);
        }
        return frameMax - AmqpConstants.FRAME_OVERHEAD;
    }
}
