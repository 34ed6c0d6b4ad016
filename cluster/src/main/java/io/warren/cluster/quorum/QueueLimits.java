package io.warren.cluster.quorum;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What bounds a quorum queue: {@code x-max-length}, {@code x-max-length-bytes} (both count ready
 * messages only, as RabbitMQ does), what happens at the bound ({@code x-overflow}),
 * {@code x-delivery-limit}, {@code x-message-ttl}, {@code x-expires} (milliseconds) and whether
 * only one consumer is active at a time ({@code x-single-active-consumer}). -1 means no bound. Part
 * of the replicated state, so every member drops, expires or refuses the same messages.
 */
public record QueueLimits(long maxLength, long maxBytes, Overflow overflow, int deliveryLimit,
                          long messageTtl, long expires, boolean singleActive) {
    public static final QueueLimits NONE = new QueueLimits(-1, -1, Overflow.DROP_HEAD, -1, -1, -1, false);

    /** The limits known before message TTL, x-expires and single active consumer. */
    public QueueLimits(long maxLength, long maxBytes, Overflow overflow, int deliveryLimit) {
        this(maxLength, maxBytes, overflow, deliveryLimit, -1, -1, false);
    }

    public enum Overflow {
        /** The oldest ready messages are dead-lettered (reason maxlen) or dropped. */
        DROP_HEAD,
        /** The new message is refused (basic.nack to a confirming publisher). */
        REJECT_PUBLISH,
        /** As REJECT_PUBLISH, and the refused message is dead-lettered. */
        REJECT_PUBLISH_DLX
    }

    /** The format of the first Configure commands (no TTL, expires, single active consumer). */
    void write(DataOutput out) throws IOException {
        out.writeLong(maxLength);
        out.writeLong(maxBytes);
        out.writeByte(overflow.ordinal());
        out.writeInt(deliveryLimit);
    }

    /** {@link #write} and what came later: message TTL, x-expires, single active consumer. */
    void writeFull(DataOutput out) throws IOException {
        write(out);
        out.writeLong(messageTtl);
        out.writeLong(expires);
        out.writeBoolean(singleActive);
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

    static QueueLimits readFull(DataInput in) throws IOException {
        QueueLimits l = read(in);
        return new QueueLimits(l.maxLength, l.maxBytes, l.overflow, l.deliveryLimit, in.readLong(), in.readLong(),
                in.readBoolean());
    }
}
