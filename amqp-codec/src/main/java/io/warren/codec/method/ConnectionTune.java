package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP connection.tune (10/30). */
public record ConnectionTune(int channelMax, int frameMax, int heartbeat) implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 30;
    public static final String NAME = "connection.tune";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, channelMax);
        out.writeInt(frameMax);
        Wire.writeShort(out, heartbeat);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionTune read(ByteBuf in) {
        int channelMax = in.readUnsignedShort();
        int frameMax = in.readInt();
        int heartbeat = in.readUnsignedShort();
        return new ConnectionTune(channelMax, frameMax, heartbeat);
    }
}
