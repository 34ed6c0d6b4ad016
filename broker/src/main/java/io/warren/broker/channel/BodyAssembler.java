package io.warren.broker.channel;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * Collects one message body from its body frames. Memory follows what arrived, never what the
 * content header announced: a client may announce 100 MB and send three bytes, and it must not
 * make the broker allocate the 100 MB. The array grows by doubling (amortised one extra copy) but
 * never beyond the announced size, so the finished array is exactly the body, with no final copy.
 * A body that comes in one frame, the usual case, costs one allocation of exactly its size.
 */
final class BodyAssembler {
    private static final byte[] EMPTY = new byte[0];

    private int expected;
    private byte[] bytes;
    private int received;

    /** A new body of {@code size} bytes (already checked against max-message-size). */
    void start(int size) {
        expected = size;
        bytes = size == 0 ? EMPTY : null;
        received = 0;
    }

    int expected() {
        return expected;
    }

    /** Bytes that may still arrive. */
    int missing() {
        return expected - received;
    }

    /** Bytes held for the body so far: never more than twice what arrived. */
    int capacity() {
        return bytes == null ? 0 : bytes.length;
    }

    boolean complete() {
        return received == expected;
    }

    /** Copies the payload in; the caller checked that it fits ({@link #missing()}) and releases it. */
    void append(ByteBuf payload) {
        int n = payload.readableBytes();
        int needed = received + n;
        if (bytes == null) {
            bytes = new byte[n];
        } else if (needed > bytes.length) {
            int doubled = (int) Math.min(expected, 2L * bytes.length);
            bytes = Arrays.copyOf(bytes, Math.max(needed, doubled));
        }
        payload.readBytes(bytes, received, n);
        received = needed;
    }

    /** The complete body (its length is the announced size); forgets it. */
    byte[] take() {
        byte[] b = bytes;
        bytes = null;
        return b;
    }

    /** Drops a partial body. */
    void clear() {
        bytes = null;
        expected = 0;
        received = 0;
    }
}
