package io.warren.broker.channel;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;

/**
 * Collects one message body from its body frames. Memory follows what arrived, never what the
 * content header announced: a client may announce 100 MB and send three bytes, and it must not
 * make the broker allocate the 100 MB. Frames are kept as they come (small arrays, cheap for the young
 * generation) until half the body has arrived; then the body's array is allocated at its exact size, once,
 * and the rest is read straight into it. So the broker never holds more than twice what arrived, a large body
 * peaks at 1.5 times its size (growing one array by doubling left large arrays behind at every step and
 * peaked higher: a 24 MiB body no longer fit a 64 MiB heap), and the finished array is exactly the body. A body that comes in one frame, the usual case,
 * costs one allocation of exactly its size.
 */
final class BodyAssembler {
    private static final byte[] EMPTY = new byte[0];

    private final ArrayList<byte[]> chunks = new ArrayList<>(); // frames of the first half, before bytes exists
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
        return bytes == null ? received : bytes.length;
    }

    boolean complete() {
        return received == expected;
    }

    /** Copies the payload in; the caller checked that it fits ({@link #missing()}) and releases it. */
    void append(ByteBuf payload) {
        int n = payload.readableBytes();
        int needed = received + n;
        if (bytes == null && 2L * needed >= expected) { // half has arrived: the body's array, exactly once
            bytes = new byte[expected];
            int offset = 0;
            for (byte[] c : chunks) {
                System.arraycopy(c, 0, bytes, offset, c.length);
                offset += c.length;
            }
            chunks.clear();
        }
        if (bytes != null) {
            payload.readBytes(bytes, received, n);
        } else {
            byte[] chunk = new byte[n];
            payload.readBytes(chunk);
            chunks.add(chunk);
        }
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
        chunks.clear();
        bytes = null;
        expected = 0;
        received = 0;
    }
}
