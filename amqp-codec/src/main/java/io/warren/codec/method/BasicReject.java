package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP basic.reject (60/90). */
public record BasicReject(long deliveryTag, boolean requeue) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 90;
    public static final String NAME = "basic.reject";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        out.writeLong(deliveryTag);
        out.writeByte((requeue ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicReject read(ByteBuf in) {
        long deliveryTag = in.readLong();
        int bits = in.readUnsignedByte();
        boolean requeue = (bits & 1) != 0;
        return new BasicReject(deliveryTag, requeue);
    }
}
