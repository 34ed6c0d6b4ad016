package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP exchange.declare-ok (40/11). */
public record ExchangeDeclareOk() implements AmqpMethod {
    public static final int CLASS_ID = 40;
    public static final int METHOD_ID = 11;
    public static final String NAME = "exchange.declare-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ExchangeDeclareOk read(ByteBuf in) {
        return new ExchangeDeclareOk();
    }
}
