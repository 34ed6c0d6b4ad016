package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP connection.update-secret-ok (10/71). */
public record ConnectionUpdateSecretOk() implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 71;
    public static final String NAME = "connection.update-secret-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionUpdateSecretOk read(ByteBuf in) {
        return new ConnectionUpdateSecretOk();
    }
}
