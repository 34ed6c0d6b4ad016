package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP tx.select (90/10). */
public record TxSelect() implements AmqpMethod {
    public static final int CLASS_ID = 90;
    public static final int METHOD_ID = 10;
    public static final String NAME = "tx.select";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static TxSelect read(ByteBuf in) {
        return new TxSelect();
    }
}
