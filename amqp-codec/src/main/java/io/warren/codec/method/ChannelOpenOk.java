package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP channel.open-ok (20/11). Reserved fields are written as zero and skipped on read. */
public record ChannelOpenOk() implements AmqpMethod {
    public static final int CLASS_ID = 20;
    public static final int METHOD_ID = 11;
    public static final String NAME = "channel.open-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeLongStr(out, "");
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ChannelOpenOk read(ByteBuf in) {
        Wire.skipLongStr(in);
        return new ChannelOpenOk();
    }
}
