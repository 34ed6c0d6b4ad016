package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP basic.ack (60/80). */
public record BasicAck(long deliveryTag, boolean multiple) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 80;
    public static final String NAME = "basic.ack";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        out.writeLong(deliveryTag);
        out.writeByte((multiple ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicAck read(ByteBuf in) {
        long deliveryTag = in.readLong();
        int bits = in.readUnsignedByte();
        boolean multiple = (bits & 1) != 0;
        return new BasicAck(deliveryTag, multiple);
    }
}
