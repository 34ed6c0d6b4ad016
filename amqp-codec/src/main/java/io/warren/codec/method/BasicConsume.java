package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.FieldTables;
import io.warren.codec.Wire;
import java.util.Map;

/** AMQP basic.consume (60/20). Reserved fields are written as zero and skipped on read. */
public record BasicConsume(
        String queue,
        String consumerTag,
        boolean noLocal,
        boolean noAck,
        boolean exclusive,
        boolean noWait,
        Map<String, Object> arguments) implements AmqpMethod {
    public static final int CLASS_ID = 60;
    public static final int METHOD_ID = 20;
    public static final String NAME = "basic.consume";

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, 0);
        Wire.writeShortStr(out, queue);
        Wire.writeShortStr(out, consumerTag);
        out.writeByte((noLocal ? 1 : 0) | (noAck ? 2 : 0) | (exclusive ? 4 : 0) | (noWait ? 8 : 0));
        FieldTables.write(out, arguments);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static BasicConsume read(ByteBuf in) {
        in.skipBytes(2);
        String queue = Wire.readShortStrStrict(in);
        String consumerTag = Wire.readShortStrStrict(in);
        int bits = in.readUnsignedByte();
        boolean noLocal = (bits & 1) != 0;
        boolean noAck = (bits & 2) != 0;
        boolean exclusive = (bits & 4) != 0;
        boolean noWait = (bits & 8) != 0;
        Map<String, Object> arguments = FieldTables.read(in);
        return new BasicConsume(queue, consumerTag, noLocal, noAck, exclusive, noWait, arguments);
    }
}
