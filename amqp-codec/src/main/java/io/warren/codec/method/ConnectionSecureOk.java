package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;
import java.util.Arrays;

/** AMQP connection.secure-ok (10/21). */
public record ConnectionSecureOk(byte[] response) implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 21;
    public static final String NAME = "connection.secure-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeLongStr(out, response);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionSecureOk read(ByteBuf in) {
        byte[] response = Wire.readLongBytes(in);
        return new ConnectionSecureOk(response);
    }

    // byte[] components: compare by content, and never print them (they carry credentials).
    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionSecureOk o && Arrays.equals(response, o.response);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(response));
    }

    @Override
    public String toString() {
        return "ConnectionSecureOk[" + "response=<" + (response == null ? 0 : response.length) + " bytes>" + "]";
    }
}
