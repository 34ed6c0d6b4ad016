package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP queue.declare-ok (50/11). */
public record QueueDeclareOk(String queue, int messageCount, int consumerCount) implements AmqpMethod {
    public static final int CLASS_ID = 50;
    public static final int METHOD_ID = 11;
    public static final String NAME = "queue.declare-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, queue);
        out.writeInt(messageCount);
        out.writeInt(consumerCount);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static QueueDeclareOk read(ByteBuf in) {
        String queue = Wire.readShortStrStrict(in);
        int messageCount = in.readInt();
        int consumerCount = in.readInt();
        return new QueueDeclareOk(queue, messageCount, consumerCount);
    }
}
