package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP basic.recover (60/110). */
public record BasicRecover(boolean requeue) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 110;
    public static final String NAME = "basic.recover";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        out.writeByte((requeue ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicRecover read(ByteBuf in) {
        int bits = in.readUnsignedByte();
        boolean requeue = (bits & 1) != 0;
        return new BasicRecover(requeue);
    }
}
