package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP basic.get (60/70). Reserved fields are written as zero and skipped on read. */
public record BasicGet(String queue, boolean noAck) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 70;
    public static final String NAME = "basic.get";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, queue);
        out.writeByte((noAck ? 1 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicGet read(ByteBuf in) {
        in.skipBytes(2);
        String queue = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean noAck = (bits & 1) != 0;
        return new BasicGet(queue, noAck);
    }
}
