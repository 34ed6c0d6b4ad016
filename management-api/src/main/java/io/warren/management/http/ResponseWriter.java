package io.warren.management.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Turns a {@link Response} into Netty's HTTP response and writes it, keeping the connection alive or not. */
final class ResponseWriter {
    private ResponseWriter() {
    }

    /** Writes the answer; the connection stays open if the client keeps it alive. */
    static void write(ChannelHandlerContext ctx, HttpRequest req, Response resp) {
        FullHttpResponse out = toNetty(req, resp);
        if (HttpUtil.isKeepAlive(req)) {
            if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(out);
        } else {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Writes an answer marked {@code Connection: close}; the caller decides when to close. */
    static ChannelFuture writeLast(ChannelHandlerContext ctx, HttpRequest req, Response resp) {
        FullHttpResponse out = toNetty(req, resp);
        out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(out);
    }

    private static FullHttpResponse toNetty(HttpRequest req, Response resp) {
        ByteBuf body;
        String type = resp.contentType();
        if (resp.raw() != null) {
            body = Unpooled.wrappedBuffer(resp.raw());
        } else if (resp.json() != null) {
            body = Unpooled.wrappedBuffer(Json.bytes(resp.json()));
        } else {
            body = Unpooled.EMPTY_BUFFER;
            type = null;
        }
        if (req.method().name().equals("HEAD")) {
            body = Unpooled.EMPTY_BUFFER;
        }
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(resp.status()), body);
        if (type != null) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        if (resp.status() == 200 && type != null && type.startsWith("application/json")) {
            out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        }
        resp.headers().forEach((k, v) -> out.headers().set(k, v));
        HttpUtil.setContentLength(out, body.readableBytes());
        return out;
    }
}
