package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.FieldTables;
import io.warren.codec.Wire;
import java.util.Arrays;
import java.util.Map;

/** AMQP connection.start-ok (10/11). */
public record ConnectionStartOk(
        Map<String, Object> clientProperties,
        String mechanism,
        byte[] response,
        String locale) implements AmqpMethod {
    public static final int CLASS_ID = 10;
    public static final int METHOD_ID = 11;
    public static final String NAME = "connection.start-ok";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        FieldTables.write(out, clientProperties);
        Wire.writeShortStr(out, mechanism);
        Wire.writeLongStr(out, response);
        Wire.writeShortStr(out, locale);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ConnectionStartOk read(ByteBuf in) {
        Map<String, Object> clientProperties = FieldTables.read(in);
        String mechanism = Wire.readShortStrStrict(in);
        byte[] response = Wire.readLongBytes(in);
        String locale = Wire.readShortStrStrict(in);
        return new ConnectionStartOk(clientProperties, mechanism, response, locale);
    }

    // byte[] components: compare by content, and never print them (they carry credentials).
    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionStartOk o && java.util.Objects.equals(clientProperties, o.clientProperties)
                && java.util.Objects.equals(mechanism, o.mechanism)
                && Arrays.equals(response, o.response)
                && java.util.Objects.equals(locale, o.locale);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(clientProperties, mechanism, Arrays.hashCode(response), locale);
    }

    @Override
    public String toString() {
        return "ConnectionStartOk[" + "clientProperties=" + clientProperties
                + ", " + "mechanism=" + mechanism
                + ", " + "response=<" + (response == null ? 0 : response.length) + " bytes>"
                + ", " + "locale=" + locale + "]";
    }
}
