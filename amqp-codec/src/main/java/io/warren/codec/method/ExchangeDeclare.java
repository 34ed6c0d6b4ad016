package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.FieldTables;
import io.warren.codec.Wire;
import java.util.Map;

/** AMQP exchange.declare (40/10). Reserved fields are written as zero and skipped on read. */
public record ExchangeDeclare(
        String exchange,
        String type,
        boolean passive,
        boolean durable,
        boolean autoDelete,
        boolean internal,
        boolean noWait,
        Map<String, Object> arguments) implements AmqpMethod {
    public static final int CLASS_ID = 40;
    public static final int METHOD_ID = 10;
    public static final String NAME = "exchange.declare";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, exchange);
        Wire.writeShortStr(out, type);
        out.writeByte((passive ? 1 : 0)
                | (durable ? 2 : 0)
                | (autoDelete ? 4 : 0)
                | (internal ? 8 : 0)
                | (noWait ? 16 : 0));
        FieldTables.write(out, arguments);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ExchangeDeclare read(ByteBuf in) {
        in.skipBytes(2);
        String exchange = Wire.readShortStrStrict(in);
        String type = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean passive = (bits & 1) != 0;
        boolean durable = (bits & 2) != 0;
        boolean autoDelete = (bits & 4) != 0;
        boolean internal = (bits & 8) != 0;
        boolean noWait = (bits & 16) != 0;
        Map<String, Object> arguments = FieldTables.read(in);
        return new ExchangeDeclare(exchange, type, passive, durable, autoDelete, internal, noWait, arguments);
    }
}
