package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP basic.get-empty (60/72). Reserved fields are written as zero and skipped on read. */
public record BasicGetEmpty() implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 72;
    public static final String NAME = "basic.get-empty";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, "");
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicGetEmpty read(ByteBuf in) {
        Wire.skipShortStr(in);
        return new BasicGetEmpty();
    }
}
