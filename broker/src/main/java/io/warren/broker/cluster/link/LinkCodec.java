package io.warren.broker.cluster.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;

import java.util.List;

/**
 * The link's framing with Netty's codecs: a 4-byte length before each {@link LinkMessage}. Until
 * the peer proved it knows the cluster secret, a frame may be only {@link #HANDSHAKE_MAX} bytes,
 * so an unauthenticated socket cannot make the node buffer more than that.
 */
final class LinkCodec {
    static final int HANDSHAKE_MAX = 1024;
    static final String FRAMES = "frames";

    private LinkCodec() {
    }

    static void install(ChannelPipeline p) {
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        p.addLast(FRAMES, new LengthFieldBasedFrameDecoder(HANDSHAKE_MAX, 0, 4, 0, 4));
        p.addLast("length", new LengthFieldPrepender(4));
        p.addLast("decode", new Decoder());
        p.addLast("encode", new Encoder());
    }

    /** The peer is authenticated: frames up to a message of the largest allowed size plus its envelope. */
    static void authenticated(ChannelPipeline p, long maxMessageSize) {
        int max = (int) Math.min(Integer.MAX_VALUE - 8, maxMessageSize + 70_000);
        p.replace(FRAMES, FRAMES, new LengthFieldBasedFrameDecoder(max, 0, 4, 0, 4));
    }

    private static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            out.add(LinkMessage.read(frame));
        }
    }

    private static final class Encoder extends MessageToByteEncoder<LinkMessage> {
        @Override
        protected void encode(ChannelHandlerContext ctx, LinkMessage m, ByteBuf out) {
            m.write(out);
        }
    }
}
