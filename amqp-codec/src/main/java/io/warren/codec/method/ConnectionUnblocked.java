package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP connection.unblocked (10/61). */
public record ConnectionUnblocked() implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 61;
    public static final String NAME = "connection.unblocked";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionUnblocked read(ByteBuf in) {
        return new ConnectionUnblocked();
    }
}
