package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.Wire;

/** AMQP access.request (30/10). */
public record AccessRequest(
        String realm,
        boolean exclusive,
        boolean passive,
        boolean active,
        boolean write,
        boolean read) implements AmqpMethod {
    public static final int CLASS_ID = 30;
    public static final int METHOD_ID = 10;
    public static final String NAME = "access.request";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShortStr(out, realm);
        out.writeByte((exclusive ? 1 : 0)
                | (passive ? 2 : 0)
                | (active ? 4 : 0)
                | (write ? 8 : 0)
                | (read ? 16 : 0));
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static AccessRequest read(ByteBuf in) {
        String realm = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean exclusive = (bits & 1) != 0;
        boolean passive = (bits & 2) != 0;
        boolean active = (bits & 4) != 0;
        boolean write = (bits & 8) != 0;
        boolean read = (bits & 16) != 0;
        return new AccessRequest(realm, exclusive, passive, active, write, read);
    }
}
