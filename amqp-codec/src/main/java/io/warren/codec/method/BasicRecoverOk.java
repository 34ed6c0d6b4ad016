package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP basic.recover-ok (60/111). */
public record BasicRecoverOk() implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 111;
    public static final String NAME = "basic.recover-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicRecoverOk read(ByteBuf in) {
        return new BasicRecoverOk();
    }
}
