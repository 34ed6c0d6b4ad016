package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP tx.select-ok (90/11). */
public record TxSelectOk() implements AmqpMethod {
    public static final int CLASS_ID = 90;
    public static final int METHOD_ID = 11;
    public static final String NAME = "tx.select-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static TxSelectOk read(ByteBuf in) {
        return new TxSelectOk();
    }
}
