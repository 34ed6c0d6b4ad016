package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP exchange.delete (40/20). Reserved fields are written as zero and skipped on read. */
public record ExchangeDelete(String exchange, boolean ifUnused, boolean noWait) implements AmqpMethod {
    public static final int CLASS_ID = 40;
    public static final int METHOD_ID = 20;
    public static final String NAME = "exchange.delete";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, exchange);
        out.writeByte((ifUnused ? 1 : 0) | (noWait ? 2 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ExchangeDelete read(ByteBuf in) {
        in.skipBytes(2);
        String exchange = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean ifUnused = (bits & 1) != 0;
        boolean noWait = (bits & 2) != 0;
        return new ExchangeDelete(exchange, ifUnused, noWait);
    }
}
