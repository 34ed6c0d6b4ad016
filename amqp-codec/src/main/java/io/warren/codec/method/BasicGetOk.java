package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP basic.get-ok (60/71). */
public record BasicGetOk(
        long deliveryTag,
        boolean redelivered,
        String exchange,
        String routingKey,
        int messageCount) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 71;
    public static final String NAME = "basic.get-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override public boolean hasContent() { return true; }

    @Override
    public void writeArguments(ByteBuf out) {
        out.writeLong(deliveryTag);
        out.writeByte((redelivered ? 1 : 0));
        Wire.writeShortStr(out, exchange);
        Wire.writeShortStr(out, routingKey);
        out.writeInt(messageCount);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicGetOk read(ByteBuf in) {
        long deliveryTag = in.readLong();
        int bits = in.readUnsignedByte();
        boolean redelivered = (bits & 1) != 0;
        String exchange = Wire.readShortStr(in);
        String routingKey = Wire.readShortStr(in);
        int messageCount = in.readInt();
        return new BasicGetOk(deliveryTag, redelivered, exchange, routingKey, messageCount);
    }
}
