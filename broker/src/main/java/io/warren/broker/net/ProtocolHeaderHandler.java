package io.warren.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.warren.codec.FrameWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

/**
 * Reads the 8-byte protocol header. On "AMQP 0 0 9 1" it hands the connection to the frame
 * decoder and starts the handshake; on anything else it answers with the header it does speak
 * and closes, as the spec (and RabbitMQ) do.
 */
public final class ProtocolHeaderHandler extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolHeaderHandler.class);

    private final AmqpConnection connection;

    public ProtocolHeaderHandler(AmqpConnection connection) {
        this.connection = connection;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), 8);
        byte[] got = new byte[n];
        in.getBytes(in.readerIndex(), got);
        if (!Arrays.equals(got, Arrays.copyOf(FrameWriter.PROTOCOL_HEADER, n))) {
            refuse(ctx, in);
            return;
        }
        if (n < 8) {
            return; // a prefix of the right header: wait for the rest
        }
        in.skipBytes(8);
        connection.protocolHeaderAccepted(ctx, this);
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in) {
        LOG.info("closing connection from {}: bad protocol header", ctx.channel().remoteAddress());
        in.skipBytes(in.readableBytes());
        ctx.writeAndFlush(Unpooled.wrappedBuffer(FrameWriter.PROTOCOL_HEADER)).addListener(ChannelFutureListener.CLOSE);
        ctx.pipeline().remove(this);
    }
}
