package io.warren.cluster.quorum;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What bounds a quorum queue: {@code x-max-length}, {@code x-max-length-bytes} (both count ready
 * messages only, as RabbitMQ does), what happens at the bound ({@code x-overflow}) and
 * {@code x-delivery-limit}. -1 means no bound. Part of the replicated state, so every member drops
 * or refuses the same messages.
 */
public record QueueLimits(long maxLength, long maxBytes, Overflow overflow, int deliveryLimit) {
    public static final QueueLimits NONE = new QueueLimits(-1, -1, Overflow.DROP_HEAD, -1);

    public enum Overflow {
        /** The oldest ready messages are dead-lettered (reason maxlen) or dropped. */
        DROP_HEAD,
        /** The new message is refused (basic.nack to a confirming publisher). */
        REJECT_PUBLISH,
        /** As REJECT_PUBLISH, and the refused message is dead-lettered. */
        REJECT_PUBLISH_DLX
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(maxLength);
        out.writeLong(maxBytes);
        out.writeByte(overflow.ordinal());
        out.writeInt(deliveryLimit);
    }

    static QueueLimits read(DataInput in) throws IOException {
        long maxLength = in.readLong();
        long maxBytes = in.readLong();
        int overflow = in.readUnsignedByte();
        if (overflow >= Overflow.values().length) {
            throw new IOException("bad overflow " + overflow);
        }
        return new QueueLimits(maxLength, maxBytes, Overflow.values()[overflow], in.readInt());
    }
}
