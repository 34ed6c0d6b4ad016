package io.warren.cluster.quorum;

import java.nio.ByteBuffer;

/**
 * The replies of quorum queue commands, as longs: what an enqueue, a basic.get or a purge tells the
 * node that submitted it. Encoded as 8 bytes per long for the trip back through Ratis.
 */
public final class QuorumReplies {
    static final long[] NONE = {};
    static final long[] ACCEPTED = {1};
    static final long[] REJECTED = {0};
    /** basic.get on an empty queue. */
    static final long[] EMPTY = {-1};

    private QuorumReplies() {
    }

    static byte[] encode(long[] reply) {
        ByteBuffer b = ByteBuffer.allocate(reply.length * 8);
        for (long l : reply) {
            b.putLong(l);
        }
        return b.array();
    }

    static long[] decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long[] out = new long[bytes.length / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong();
        }
        return out;
    }
}
