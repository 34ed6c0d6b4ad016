package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP channel.open (20/10). Reserved fields are written as zero and skipped on read. */
public record ChannelOpen() implements AmqpMethod {
    public static final int CLASS_ID = 20;
    public static final int METHOD_ID = 10;
    public static final String NAME = "channel.open";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, "");
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ChannelOpen read(ByteBuf in) {
        Wire.skipShortStr(in);
        return new ChannelOpen();
    }
}
