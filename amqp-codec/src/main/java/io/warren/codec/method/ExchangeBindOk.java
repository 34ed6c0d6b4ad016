package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP exchange.bind-ok (40/31). */
public record ExchangeBindOk() implements AmqpMethod {
    public static final int CLASS_ID = 40;
    public static final int METHOD_ID = 31;
    public static final String NAME = "exchange.bind-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ExchangeBindOk read(ByteBuf in) {
        return new ExchangeBindOk();
    }
}
