package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.FieldTables;
import io.warren.codec.Wire;
import java.util.Map;

/** AMQP exchange.unbind (40/40). Reserved fields are written as zero and skipped on read. */
public record ExchangeUnbind(
        String destination,
        String source,
        String routingKey,
        boolean noWait,
        Map<String, Object> arguments) implements AmqpMethod {
    public static final int CLASS_ID = 40;
    public static final int METHOD_ID = 40;
    public static final String NAME = "exchange.unbind";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, destination);
        Wire.writeShortStr(out, source);
        Wire.writeShortStr(out, routingKey);
        out.writeByte((noWait ? 1 : 0));
        FieldTables.write(out, arguments);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ExchangeUnbind read(ByteBuf in) {
        in.skipBytes(2);
        String destination = Wire.readShortStrStrict(in);
        String source = Wire.readShortStrStrict(in);
        String routingKey = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean noWait = (bits & 1) != 0;
        Map<String, Object> arguments = FieldTables.read(in);
        return new ExchangeUnbind(destination, source, routingKey, noWait, arguments);
    }
}
