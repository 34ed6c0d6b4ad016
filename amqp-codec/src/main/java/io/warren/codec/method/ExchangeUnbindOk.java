package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/** AMQP exchange.unbind-ok (40/51). */
public record ExchangeUnbindOk() implements AmqpMethod {
    public static final int CLASS_ID = 40;
    public static final int METHOD_ID = 51;
    public static final String NAME = "exchange.unbind-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        // no arguments
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ExchangeUnbindOk read(ByteBuf in) {
        return new ExchangeUnbindOk();
    }
}
