package io.warren.management.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.warren.management.api.ManagementApi;
import io.warren.management.metrics.PrometheusMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Turns aggregated HTTP requests into {@link ManagementApi}, {@code /metrics} or dashboard file
 * answers. The work runs on a small worker pool, off the I/O loop, because an API call may wait
 * for the broker's connection loops to report their state. Requests on one keep-alive connection
 * are answered in order because HTTP/1.1 clients send the next one only after the answer.
 */
@ChannelHandler.Sharable
public final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpHandler.class);
    private final ManagementApi api;
    private final PrometheusMetrics metrics;
    private final StaticFiles files = new StaticFiles();
    private final Executor workers;

    public HttpHandler(ManagementApi api, PrometheusMetrics metrics, Executor workers) {
        this.api = api;
        this.metrics = metrics;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        req.retain();
        try {
            workers.execute(() -> {
                try {
                    Response resp;
                    try {
                        resp = req.decoderResult().isSuccess() ? answer(req, fromLoopback(ctx))
                                : Response.json(400, Map.of("error", "bad_request", "reason", "malformed HTTP request"));
                    } catch (Throwable t) { // never leave a client waiting, whatever broke
                        LOG.error("{} {} failed", req.method(), req.uri(), t);
                        resp = Response.json(500, Map.of("error", "internal_error", "reason", String.valueOf(t)));
                    }
                    ResponseWriter.write(ctx, req, resp);
                } finally {
                    req.release();
                }
            });
        } catch (RejectedExecutionException e) {
            req.release(); // shutting down
            ctx.close();
        }
    }

    private static boolean fromLoopback(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }

    private Response answer(FullHttpRequest req, boolean fromLoopback) {
        String method = req.method().name();
        String path = new QueryStringDecoder(req.uri()).rawPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return api.handle(method, req.uri(), req.headers(), ByteBufUtil.getBytes(req.content()), fromLoopback);
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Response.json(405, Map.of("error", "Method Not Allowed", "reason", method + " not allowed"))
                    .header("Allow", "GET, HEAD");
        }
        PrometheusMetrics.Endpoint endpoint = switch (path) {
            case "/metrics" -> PrometheusMetrics.Endpoint.DEFAULT;
            case "/metrics/per-object" -> PrometheusMetrics.Endpoint.PER_OBJECT;
            case "/metrics/detailed" -> PrometheusMetrics.Endpoint.DETAILED;
            default -> null;
        };
        if (endpoint != null) {
            Map<String, List<String>> query = new QueryStringDecoder(req.uri()).parameters();
            return Response.raw(200, metrics.render(endpoint, query.getOrDefault("family", List.of()),
                    query.getOrDefault("vhost", List.of())), PrometheusMetrics.CONTENT_TYPE);
        }
        Response file = files.serve(path);
        return file != null ? file : Response.json(404, Map.of("error", "Object Not Found", "reason", "Not Found"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
