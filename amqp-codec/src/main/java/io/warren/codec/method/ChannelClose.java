package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.warren.codec.ReplyText;
import io.warren.codec.Wire;

/** AMQP channel.close (20/40). */
public record ChannelClose(
        int replyCode,
        String replyText,
        int failingClassId,
        int failingMethodId) implements AmqpMethod {
    public static final int CLASS_ID = 20;
    public static final int METHOD_ID = 40;
    public static final String NAME = "channel.close";

    /** A longer reply text is cut as RabbitMQ cuts it, so encoding the close can never fail. */
    public ChannelClose {
        replyText = ReplyText.fit(replyText);
    }

    @Override public int classId() { return CLASS_ID; }

    @Override public int methodId() { return METHOD_ID; }

    @Override public String name() { return NAME; }

    @Override
    public void writeArguments(ByteBuf out) {
        Wire.writeShort(out, replyCode);
        Wire.writeShortStr(out, replyText);
        Wire.writeShort(out, failingClassId);
        Wire.writeShort(out, failingMethodId);
    }

    /** Reads the arguments; the caller checks that nothing is left over. */
    static ChannelClose read(ByteBuf in) {
        int replyCode = in.readUnsignedShort();
        String replyText = Wire.readShortStrStrict(in);
        int failingClassId = in.readUnsignedShort();
        int failingMethodId = in.readUnsignedShort();
        return new ChannelClose(replyCode, replyText, failingClassId, failingMethodId);
    }
}
