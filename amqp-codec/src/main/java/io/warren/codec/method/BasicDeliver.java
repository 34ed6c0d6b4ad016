package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP basic.deliver (60/60). */
public record BasicDeliver(
        String consumerTag,
        long deliveryTag,
        boolean redelivered,
        String exchange,
        String routingKey) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 60;
    public static final String NAME = "basic.deliver";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override public boolean hasContent() { return true; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, consumerTag);
        out.writeLong(deliveryTag);
        out.writeByte((redelivered ? 1 : 0));
        Wire.writeShortStr(out, exchange);
        Wire.writeShortStr(out, routingKey);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicDeliver read(ByteBuf in) {
        String consumerTag = Wire.readShortStr(in);
        long deliveryTag = in.readLong();
        int bits = in.readUnsignedByte();
        boolean redelivered = (bits & 1) != 0;
        String exchange = Wire.readShortStr(in);
        String routingKey = Wire.readShortStr(in);
        return new BasicDeliver(consumerTag, deliveryTag, redelivered, exchange, routingKey);
    }
}
