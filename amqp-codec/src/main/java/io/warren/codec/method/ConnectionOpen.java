package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP connection.open (10/40). Reserved fields are written as zero and skipped on read. */
public record ConnectionOpen(String virtualHost) implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 40;
    public static final String NAME = "connection.open";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, virtualHost);
        Wire.writeShortStr(out, "");
        out.writeByte(0);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionOpen read(ByteBuf in) {
        String virtualHost = Wire.readShortStrStrict(in);
        Wire.skipShortStr(in);
        in.skipBytes(1);
        return new ConnectionOpen(virtualHost);
    }
}
