package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP channel.flow-ok (20/21). */
public record ChannelFlowOk(boolean active) implements AmqpMethod {
    public static final int CLASS_ID = 20;
    public static final int METHOD_ID = 21;
    public static final String NAME = "channel.flow-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        out.writeByte((active ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ChannelFlowOk read(ByteBuf in) {
        int bits = in.readUnsignedByte();
        boolean active = (bits & 1) != 0;
        return new ChannelFlowOk(active);
    }
}
