package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP basic.return (60/50). */
public record BasicReturn(
        int replyCode,
        String replyText,
        String exchange,
        String routingKey) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 50;
    public static final String NAME = "basic.return";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override public boolean hasContent() { return true; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, replyCode);
        Wire.writeShortStr(out, replyText);
        Wire.writeShortStr(out, exchange);
        Wire.writeShortStr(out, routingKey);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicReturn read(ByteBuf in) {
        int replyCode = in.readUnsignedShort();
        String replyText = Wire.readShortStr(in);
        String exchange = Wire.readShortStr(in);
        String routingKey = Wire.readShortStr(in);
        return new BasicReturn(replyCode, replyText, exchange, routingKey);
    }
}
