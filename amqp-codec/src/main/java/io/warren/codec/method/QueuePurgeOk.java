package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP queue.purge-ok (50/31). */
public record QueuePurgeOk(int messageCount) implements AmqpMethod {
    public static final int CLASS_ID = 50;
    public static final int METHOD_ID = 31;
    public static final String NAME = "queue.purge-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        out.writeInt(messageCount);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static QueuePurgeOk read(ByteBuf in) {
        int messageCount = in.readInt();
        return new QueuePurgeOk(messageCount);
    }
}
