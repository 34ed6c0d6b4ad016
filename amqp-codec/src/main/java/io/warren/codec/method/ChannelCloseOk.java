package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP channel.close-ok (20/41). */
public record ChannelCloseOk() implements AmqpMethod {
    public static final int CLASS_ID = 20;
    public static final int METHOD_ID = 41;
    public static final String NAME = "channel.close-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ChannelCloseOk read(ByteBuf in) {
        return new ChannelCloseOk();
    }
}
