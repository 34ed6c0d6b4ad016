package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP queue.bind-ok (50/21). */
public record QueueBindOk() implements AmqpMethod {
    public static final int CLASS_ID = 50;
    public static final int METHOD_ID = 21;
    public static final String NAME = "queue.bind-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static QueueBindOk read(ByteBuf in) {
        return new QueueBindOk();
    }
}
