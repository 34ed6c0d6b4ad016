package io.warren.management.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Sits between the HTTP decoder and the body aggregator: a request that announces a body is let
 * through only with good credentials. Otherwise it is answered 401 from its head and the connection
 * closed, so a client without a login cannot make the broker buffer (or even wait for) a body, however
 * large the Content-Length it announces: what it still sends is dropped as it arrives. Requests without a body pass; the API checks their login itself.
 * One per connection (it remembers that it is discarding the rest of a refused request).
 */
public final class LoginGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(LoginGate.class);

    /** Decides at the head whether a request may go on. */
    @FunctionalInterface
    public interface Checker {
        /** The 401 answer for missing or wrong credentials, or null when they are good. */
        Response loginRefusal(HttpHeaders headers, boolean fromLoopback);
    }

    /** How long a refused client may go on sending (into the void) before the connection is closed. */
    private static final long LINGER_MS = 2000;

    private final Checker checker;
    private boolean refused;

    public LoginGate(Checker checker) {
        this.checker = checker;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) { // the rest of a refused request (or anything after it): drop, the connection is closing
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req && req.decoderResult().isSuccess() && announcesBody(req)) {
            Response refusal = checker.loginRefusal(req.headers(), fromLoopback(ctx));
            if (refusal != null) {
                refused = true;
                ReferenceCountUtil.release(msg);
                LOG.debug("{} {} from {} refused before its body: no valid login", req.method(), req.uri(),
                        ctx.channel().remoteAddress());
                ResponseWriter.writeLast(ctx, req, refusal).addListener(f -> lingerThenClose(ctx));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Closing at once, with body bytes still arriving, makes the kernel answer them with a reset, and a
     * client still sending (curl, Java's HttpClient) may then lose the 401 and report "connection
     * reset". So: end our side (FIN), go on discarding what comes (nothing is buffered) for a short
     * while, then close, as web servers' lingering close does.
     */
    private static void lingerThenClose(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof SocketChannel s && s.isActive()) {
            s.shutdownOutput();
            ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
        } else {
            ctx.close();
        }
    }

    private static boolean announcesBody(HttpRequest req) {
        return HttpUtil.getContentLength(req, 0L) > 0 || HttpUtil.isTransferEncodingChunked(req);
    }

    private static boolean fromLoopback(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }
}
