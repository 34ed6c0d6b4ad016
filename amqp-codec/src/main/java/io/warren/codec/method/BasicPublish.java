package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP basic.publish (60/40). Reserved fields are written as zero and skipped on read. */
public record BasicPublish(
        String exchange,
        String routingKey,
        boolean mandatory,
        boolean immediate) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 40;
    public static final String NAME = "basic.publish";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override public boolean hasContent() { return true; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, exchange);
        Wire.writeShortStr(out, routingKey);
        out.writeByte((mandatory ? 1 : 0) | (immediate ? 2 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicPublish read(ByteBuf in) {
        in.skipBytes(2);
        String exchange = Wire.readShortStr(in);
        String routingKey = Wire.readShortStr(in);
        int bits = in.readUnsignedByte();
        boolean mandatory = (bits & 1) != 0;
        boolean immediate = (bits & 2) != 0;
        return new BasicPublish(exchange, routingKey, mandatory, immediate);
    }
}
