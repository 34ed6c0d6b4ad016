package io.warren.codec;

import io.netty.buffer.ByteBuf;

/**
 * A content body frame. {@code payload} is a retained slice of the inbound buffer (no copy): whoever receives
 * this frame owns one reference and must release it exactly once, e.g. after appending it to a message (a
 * {@code CompositeByteBuf} takes over the reference) or with {@code payload.release()}.
 */
public record ContentBodyFrame(int channel, ByteBuf payload) implements Frame {

    /** Releases the payload; for receivers that drop the frame. */
    public boolean release() {
        return payload.release();
    }

    @Override
    public String toString() {
        return "ContentBodyFrame[channel=" + channel + ", payload=<" + payload.readableBytes() + " bytes>]";
    }
}
