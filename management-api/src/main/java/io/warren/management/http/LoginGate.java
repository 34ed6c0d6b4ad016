package io.warren.management.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * Sits between the HTTP decoder and the body aggregator: a request that announces a body is let
 * through only with good credentials. Otherwise it is answered 401 from its head and the connection
 * closed, so a client without a login cannot make the broker buffer (or even wait for) a body, however
 * large the Content-Length it announces. Requests without a body pass; the API checks their login itself.
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
                ctx.channel().config().setAutoRead(false); // read no more of the body
                LOG.debug("{} {} from {} refused before its body: no valid login", req.method(), req.uri(),
                        ctx.channel().remoteAddress());
                ResponseWriter.write(ctx, req, refusal, true);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean announcesBody(HttpRequest req) {
        return HttpUtil.getContentLength(req, 0L) > 0 || HttpUtil.isTransferEncodingChunked(req);
    }

    private static boolean fromLoopback(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }
}
