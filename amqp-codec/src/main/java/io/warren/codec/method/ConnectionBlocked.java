package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP connection.blocked (10/60). */
public record ConnectionBlocked(String reason) implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 60;
    public static final String NAME = "connection.blocked";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, reason);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionBlocked read(ByteBuf in) {
        String reason = Wire.readShortStrStrict(in);
        return new ConnectionBlocked(reason);
    }
}
