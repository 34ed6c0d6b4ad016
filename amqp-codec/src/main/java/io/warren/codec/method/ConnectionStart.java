package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.FieldTables;
import io.warren.codec.Wire;
import java.util.Map;

/** AMQP connection.start (10/10). */
public record ConnectionStart(
        int versionMajor,
        int versionMinor,
        Map<String, Object> serverProperties,
        String mechanisms,
        String locales) implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 10;
    public static final String NAME = "connection.start";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeOctet(out, versionMajor);
        Wire.writeOctet(out, versionMinor);
        FieldTables.write(out, serverProperties);
        Wire.writeLongStr(out, mechanisms);
        Wire.writeLongStr(out, locales);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionStart read(ByteBuf in) {
        int versionMajor = in.readUnsignedByte();
        int versionMinor = in.readUnsignedByte();
        Map<String, Object> serverProperties = FieldTables.read(in);
        String mechanisms = Wire.readLongStr(in);
        String locales = Wire.readLongStr(in);
        return new ConnectionStart(versionMajor, versionMinor, serverProperties, mechanisms, locales);
    }
}
