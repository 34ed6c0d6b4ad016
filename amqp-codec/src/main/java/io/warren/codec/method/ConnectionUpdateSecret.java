package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;
import java.util.Arrays;

/** AMQP connection.update-secret (10/70). */
public record ConnectionUpdateSecret(byte[] newSecret, String reason) implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 70;
    public static final String NAME = "connection.update-secret";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeLongStr(out, newSecret);
        Wire.writeShortStr(out, reason);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionUpdateSecret read(ByteBuf in) {
        byte[] newSecret = Wire.readLongBytes(in);
        String reason = Wire.readShortStrStrict(in);
        return new ConnectionUpdateSecret(newSecret, reason);
    }

    // byte[] components: compare by content, and never print them (they carry credentials).
    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionUpdateSecret o && Arrays.equals(newSecret, o.newSecret)
                && java.util.Objects.equals(reason, o.reason);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(newSecret), reason);
    }

    @Override
    public String toString() {
        return "ConnectionUpdateSecret[" + "newSecret=<" + (newSecret == null ? 0 : newSecret.length) + " bytes>"
                + ", " + "reason=" + reason + "]";
    }
}
