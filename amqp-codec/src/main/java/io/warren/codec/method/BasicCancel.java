package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP basic.cancel (60/30). */
public record BasicCancel(String consumerTag, boolean noWait) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 30;
    public static final String NAME = "basic.cancel";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, consumerTag);
        out.writeByte((noWait ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicCancel read(ByteBuf in) {
        String consumerTag = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean noWait = (bits & 1) != 0;
        return new BasicCancel(consumerTag, noWait);
    }
}
