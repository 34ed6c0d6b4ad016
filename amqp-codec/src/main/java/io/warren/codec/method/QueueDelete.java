package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP queue.delete (50/40). Reserved fields are written as zero and skipped on read. */
public record QueueDelete(
        String queue,
        boolean ifUnused,
        boolean ifEmpty,
        boolean noWait) implements AmqpMethod {
    public static final int CLASS_ID = 50;
    public static final int METHOD_ID = 40;
    public static final String NAME = "queue.delete";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, queue);
        out.writeByte((ifUnused ? 1 : 0) | (ifEmpty ? 2 : 0) | (noWait ? 4 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static QueueDelete read(ByteBuf in) {
        in.skipBytes(2);
        String queue = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean ifUnused = (bits & 1) != 0;
        boolean ifEmpty = (bits & 2) != 0;
        boolean noWait = (bits & 4) != 0;
        return new QueueDelete(queue, ifUnused, ifEmpty, noWait);
    }
}
