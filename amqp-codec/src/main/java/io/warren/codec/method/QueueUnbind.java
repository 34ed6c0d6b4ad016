package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.FieldTables;
import io.warren.codec.Wire;
import java.util.Map;

/** AMQP queue.unbind (50/50). Reserved fields are written as zero and skipped on read. */
public record QueueUnbind(
        String queue,
        String exchange,
        String routingKey,
        Map<String, Object> arguments) implements AmqpMethod {
    public static final int CLASS_ID = 50;
    public static final int METHOD_ID = 50;
    public static final String NAME = "queue.unbind";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, queue);
        Wire.writeShortStr(out, exchange);
        Wire.writeShortStr(out, routingKey);
        FieldTables.write(out, arguments);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static QueueUnbind read(ByteBuf in) {
        in.skipBytes(2);
        String queue = Wire.readShortStrStrict(in);
        String exchange = Wire.readShortStrStrict(in);
        String routingKey = Wire.readShortStrStrict(in);
        Map<String, Object> arguments = FieldTables.read(in);
        return new QueueUnbind(queue, exchange, routingKey, arguments);
    }
}
