package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP queue.purge (50/30). Reserved fields are written as zero and skipped on read. */
public record QueuePurge(String queue, boolean noWait) implements AmqpMethod {
    public static final int CLASS_ID = 50;
    public static final int METHOD_ID = 30;
    public static final String NAME = "queue.purge";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, queue);
        out.writeByte((noWait ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static QueuePurge read(ByteBuf in) {
        in.skipBytes(2);
        String queue = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean noWait = (bits & 1) != 0;
        return new QueuePurge(queue, noWait);
    }
}
