package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP connection.open-ok (10/41). Reserved fields are written as zero and skipped on read. */
public record ConnectionOpenOk() implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 41;
    public static final String NAME = "connection.open-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, "");
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionOpenOk read(ByteBuf in) {
        Wire.skipShortStr(in);
        return new ConnectionOpenOk();
    }
}
