package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP basic.consume-ok (60/21). */
public record BasicConsumeOk(String consumerTag) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 21;
    public static final String NAME = "basic.consume-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, consumerTag);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicConsumeOk read(ByteBuf in) {
        String consumerTag = Wire.readShortStrStrict(in);
        return new BasicConsumeOk(consumerTag);
    }
}
