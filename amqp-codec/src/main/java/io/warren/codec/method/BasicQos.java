package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP basic.qos (60/10). */
public record BasicQos(int prefetchSize, int prefetchCount, boolean global) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 10;
    public static final String NAME = "basic.qos";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        out.writeInt(prefetchSize);
        Wire.writeShort(out, prefetchCount);
        out.writeByte((global ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicQos read(ByteBuf in) {
        int prefetchSize = in.readInt();
        int prefetchCount = in.readUnsignedShort();
        int bits = in.readUnsignedByte();
        boolean global = (bits & 1) != 0;
        return new BasicQos(prefetchSize, prefetchCount, global);
    }
}
