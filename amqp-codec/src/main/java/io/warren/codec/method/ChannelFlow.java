package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP channel.flow (20/20). */
public record ChannelFlow(boolean active) implements AmqpMethod {
    public static final int CLASS_ID = 20;
    public static final int METHOD_ID = 20;
    public static final String NAME = "channel.flow";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        out.writeByte((active ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ChannelFlow read(ByteBuf in) {
        int bits = in.readUnsignedByte();
        boolean active = (bits & 1) != 0;
        return new ChannelFlow(active);
    }
}
