package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP confirm.select (85/10). */
public record ConfirmSelect(boolean noWait) implements AmqpMethod {
    public static final int CLASS_ID = 85;
    public static final int METHOD_ID = 10;
    public static final String NAME = "confirm.select";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        out.writeByte((noWait ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConfirmSelect read(ByteBuf in) {
        int bits = in.readUnsignedByte();
        boolean noWait = (bits & 1) != 0;
        return new ConfirmSelect(noWait);
    }
}
