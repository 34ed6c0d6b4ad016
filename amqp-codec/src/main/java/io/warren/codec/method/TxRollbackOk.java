package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP tx.rollback-ok (90/31). */
public record TxRollbackOk() implements AmqpMethod {
    public static final int CLASS_ID = 90;
    public static final int METHOD_ID = 31;
    public static final String NAME = "tx.rollback-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static TxRollbackOk read(ByteBuf in) {
        return new TxRollbackOk();
    }
}
