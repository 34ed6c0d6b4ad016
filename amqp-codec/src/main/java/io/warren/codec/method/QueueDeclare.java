package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.FieldTables;
import io.warren.codec.Wire;
import java.util.Map;

/** AMQP queue.declare (50/10). Reserved fields are written as zero and skipped on read. */
public record QueueDeclare(
        String queue,
        boolean passive,
        boolean durable,
        boolean exclusive,
        boolean autoDelete,
        boolean noWait,
        Map<String, Object> arguments) implements AmqpMethod {
    public static final int CLASS_ID = 50;
    public static final int METHOD_ID = 10;
    public static final String NAME = "queue.declare";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, queue);
        out.writeByte((passive ? 1 : 0)
                | (durable ? 2 : 0)
                | (exclusive ? 4 : 0)
                | (autoDelete ? 8 : 0)
                | (noWait ? 16 : 0));
        FieldTables.write(out, arguments);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static QueueDeclare read(ByteBuf in) {
        in.skipBytes(2);
        String queue = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean passive = (bits & 1) != 0;
        boolean durable = (bits & 2) != 0;
        boolean exclusive = (bits & 4) != 0;
        boolean autoDelete = (bits & 8) != 0;
        boolean noWait = (bits & 16) != 0;
        Map<String, Object> arguments = FieldTables.read(in);
        return new QueueDeclare(queue, passive, durable, exclusive, autoDelete, noWait, arguments);
    }
}
