package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP access.request-ok (30/11). */
public record AccessRequestOk(int ticket) implements AmqpMethod {
    public static final int CLASS_ID = 30;
    public static final int METHOD_ID = 11;
    public static final String NAME = "access.request-ok";

    /** RabbitMQ always answers access.request with ticket 1. */
    public AccessRequestOk() {
        this(1);
    }

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, ticket);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static AccessRequestOk read(ByteBuf in) {
        int ticket = in.readUnsignedShort();
        return new AccessRequestOk(ticket);
    }
}
