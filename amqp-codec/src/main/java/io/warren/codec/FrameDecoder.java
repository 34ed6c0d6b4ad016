package io.warren.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.warren.codec.method.MethodDecoder;
import java.util.List;

/**
 * Decodes AMQP frames (after the 8-byte protocol header, which the broker strips) into {@link Frame}s.
 *
 * <p>The size in the 7-byte frame header is checked before any payload is buffered, so a peer cannot make us
 * hold more than frame_max bytes. Like RabbitMQ's rabbit_reader we tolerate a payload of up to frame_max bytes,
 * not frame_max - 8: RabbitMQ adds an 8-byte FRAME_SIZE_FUDGE because several clients get the limit wrong.
 *
 * <p>Errors carry RabbitMQ's reply texts (rabbit_reader:frame_error/5). After the first error the decoder
 * discards all further input: once framing is lost nothing after it can be trusted, and the broker is closing
 * the connection anyway.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private int maxFrameSize;
    private boolean failed;

    /**
     * @param maxFrameSize the negotiated frame_max (total frame size including the 8 bytes of overhead);
     *     0 means no limit, as in connection.tune
     */
    public FrameDecoder(int maxFrameSize) {
        setMaxFrameSize(maxFrameSize);
    }

    /** Changes frame_max, e.g. after connection.tune-ok. Call on the channel's event loop. */
    public void setMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("maxFrameSize must be >= 0: " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            Frame frame = decodeFrame(in);
            if (frame != null) {
                out.add(frame);
            }
        } catch (FrameException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /** Decodes one frame, or returns null if {@code in} does not hold a complete frame yet. */
    private Frame decodeFrame(ByteBuf in) {
        if (in.readableBytes() < AmqpConstants.FRAME_HEADER_SIZE) {
            return null;
        }
        int start = in.readerIndex();
        int type = in.getUnsignedByte(start);
        int channel = in.getUnsignedShort(start + 1);
        long size = in.getUnsignedInt(start + 3);
        checkSize(type, size);
        int payloadSize = (int) size;
        if (in.readableBytes() < AmqpConstants.FRAME_HEADER_SIZE + payloadSize + 1) {
            return null;
        }
        int payloadStart = start + AmqpConstants.FRAME_HEADER_SIZE;
        int end = in.getUnsignedByte(payloadStart + payloadSize);
        if (end != AmqpConstants.FRAME_END) {
            throw frameError(type, in, payloadStart, payloadSize, "{invalid_frame_end_marker," + end + "}");
        }
        Frame frame = switch (type) {
            case AmqpConstants.FRAME_METHOD -> methodFrame(in, channel, payloadStart, payloadSize);
            case AmqpConstants.FRAME_HEADER -> headerFrame(in, channel, payloadStart, payloadSize);
            case AmqpConstants.FRAME_BODY -> new ContentBodyFrame(channel, in.retainedSlice(payloadStart, payloadSize));
            case AmqpConstants.FRAME_HEARTBEAT -> heartbeatFrame(in, channel, payloadStart, payloadSize);
            default -> throw unknownFrame(type, in, payloadStart, payloadSize);
        };
        in.readerIndex(payloadStart + payloadSize + 1);
        return frame;
    }

    private void checkSize(int type, long size) {
        // frame_max 0 means unlimited, but a Java buffer still cannot hold more than ~2 GiB.
        long limit = maxFrameSize == 0 ? Integer.MAX_VALUE - AmqpConstants.FRAME_OVERHEAD : maxFrameSize;
        if (size > limit) {
            throw new FrameException(AmqpConstants.FRAME_ERROR, "FRAME_ERROR - type " + type
                    + ", all octets = <<>>: {frame_too_large," + size + ","
                    + (limit - AmqpConstants.FRAME_OVERHEAD) + "}");
        }
    }

    private static Frame methodFrame(ByteBuf in, int channel, int payloadStart, int payloadSize) {
        if (payloadSize < 4) {
            throw unknownFrame(AmqpConstants.FRAME_METHOD, in, payloadStart, payloadSize);
        }
        int classId = in.getUnsignedShort(payloadStart);
        int methodId = in.getUnsignedShort(payloadStart + 2);
        ByteBuf args = in.slice(payloadStart + 4, payloadSize - 4);
        return new MethodFrame(channel, MethodDecoder.decode(classId, methodId, args));
    }

    private static Frame headerFrame(ByteBuf in, int channel, int payloadStart, int payloadSize) {
        // class-id short, weight short (always 0, ignored), body-size longlong, then the raw properties.
        if (payloadSize < 12) {
            throw unknownFrame(AmqpConstants.FRAME_HEADER, in, payloadStart, payloadSize);
        }
        int classId = in.getUnsignedShort(payloadStart);
        long bodySize = in.getLong(payloadStart + 4);
        byte[] raw = ByteBufUtil.getBytes(in, payloadStart + 12, payloadSize - 12);
        return new ContentHeaderFrame(channel, classId, bodySize, raw);
    }

    private static Frame heartbeatFrame(ByteBuf in, int channel, int payloadStart, int payloadSize) {
        if (payloadSize != 0) {
            throw unknownFrame(AmqpConstants.FRAME_HEARTBEAT, in, payloadStart, payloadSize);
        }
        return new HeartbeatFrame(channel);
    }

    private static FrameException unknownFrame(int type, ByteBuf in, int payloadStart, int payloadSize) {
        return frameError(type, in, payloadStart, payloadSize, "unknown_frame");
    }

    /** RabbitMQ's text: "type T, all octets = <<...>>: Reason", or "first 16 octets" for longer payloads. */
    private static FrameException frameError(int type, ByteBuf in, int payloadStart, int payloadSize,
                                             String reason) {
        boolean all = payloadSize <= 16;
        byte[] snippet = ByteBufUtil.getBytes(in, payloadStart, all ? payloadSize : 16);
        return new FrameException(AmqpConstants.FRAME_ERROR, "FRAME_ERROR - type " + type + ", "
                + (all ? "all" : "first 16") + " octets = " + ErlangTerms.binary(snippet) + ": " + reason);
    }
}
