package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;
import java.util.Arrays;

/** AMQP connection.secure (10/20). */
public record ConnectionSecure(byte[] challenge) implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 20;
    public static final String NAME = "connection.secure";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeLongStr(out, challenge);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionSecure read(ByteBuf in) {
        byte[] challenge = Wire.readLongBytes(in);
        return new ConnectionSecure(challenge);
    }

    // byte[] components: compare by content, and never print them (they carry credentials).
    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionSecure o && Arrays.equals(challenge, o.challenge);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(challenge));
    }

    @Override
    public String toString() {
        return "ConnectionSecure[" + "challenge=<" + (challenge == null ? 0 : challenge.length) + " bytes>" + "]";
    }
}
