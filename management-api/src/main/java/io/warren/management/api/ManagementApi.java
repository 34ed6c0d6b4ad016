package io.warren.management.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.warren.management.BrokerAdmin;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.http.Viewer;
import io.warren.management.metrics.RateSampler;
import io.warren.management.model.AdminException;
import io.warren.management.model.PermissionInfo;
import io.warren.management.model.UserInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /api} tree: routing, HTTP basic authentication against the broker's users, the
 * tag check of each endpoint, and turning failures into RabbitMQ's JSON errors. Free of Netty's
 * channel machinery so tests can call {@link #handle} directly.
 */
public final class ManagementApi {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementApi.class);
    static final String REALM = "Basic realm=\"RabbitMQ Management\"";

    private final Router router = new Router();
    private final ApiContext ctx;

    public ManagementApi(BrokerAdmin admin, RateSampler rates, String httpBind, int httpPort) {
        this.ctx = new ApiContext(admin, rates, httpBind, httpPort);
        new OverviewApi(ctx).register(router);
        new AccessApi(ctx).register(router);
        new PolicyApi(ctx).register(router);
        new QuorumQueueApi(ctx).register(router);
        new QueueApi(ctx).register(router);
        new ExchangeApi(ctx).register(router);
        new BindingApi(ctx).register(router);
        new ClientApi(ctx).register(router);
        new DefinitionsApi(ctx).register(router);
    }

    /**
     * Answers one request; {@code uri} is the raw request target (path and query), {@code fromLoopback}
     * whether the client connected from this host.
     */
    public Response handle(String method, String uri, HttpHeaders headers, byte[] body, boolean fromLoopback) {
        return challenged(headers, handleUnchallenged(method, uri, headers, body, fromLoopback));
    }

    /**
     * The 401 answer for a request whose credentials are missing or wrong, or null when they are good.
     * The HTTP layer asks at the request head, so nobody can make the broker read a body without logging in.
     */
    public Response loginRefusal(HttpHeaders headers, boolean fromLoopback) {
        String auth = headers.get("Authorization");
        if (auth != null && authenticate(auth, fromLoopback).isPresent()) {
            return null;
        }
        return challenged(headers, auth == null ? Response.empty(401).header("WWW-Authenticate", REALM)
                : error(new ApiException(401, "not_authorized", "Login failed")));
    }

    /** Scripts (the dashboard) say X-Requested-With: without the challenge the browser shows no login popup. */
    private static Response challenged(HttpHeaders headers, Response r) {
        if ("XMLHttpRequest".equals(headers.get("X-Requested-With"))) {
            r.headers().remove("WWW-Authenticate");
        }
        return r;
    }

    private Response handleUnchallenged(String method, String uri, HttpHeaders headers, byte[] body,
                                        boolean fromLoopback) {
        try {
            return dispatch(method, uri, headers, body, fromLoopback);
        } catch (ApiException e) {
            return error(e);
        } catch (AdminException e) {
            return error(ApiException.badRequest(e.replyCode() + " " + e.replyText()));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, uri, e);
            return error(new ApiException(500, "internal_error", String.valueOf(e.getMessage())));
        }
    }

    private Response dispatch(String method, String uri, HttpHeaders headers, byte[] body, boolean fromLoopback) {
        QueryStringDecoder qs = new QueryStringDecoder(uri);
        String rawPath = qs.rawPath();
        Router.Match match = router.match(method, rawPath);
        if (match == null) {
            throw ApiException.notFound();
        }
        if (method.equals("OPTIONS")) {
            return Response.empty(204).header("Allow", String.join(", ", match.allowed()));
        }
        if (match.endpoint() == null) {
            return Response.json(405, Map.of("error", "Method Not Allowed", "reason", method + " not allowed"))
                    .header("Allow", String.join(", ", match.allowed()));
        }
        String auth = headers.get("Authorization");
        if (auth == null) {
            return Response.empty(401).header("WWW-Authenticate", REALM);
        }
        UserInfo user = authenticate(auth, fromLoopback).orElseThrow(() -> new ApiException(401, "not_authorized", "Login failed"));
        if (!Access.USER.allows(user)) { // RabbitMQ names the missing management tag first, whatever the endpoint
            throw ApiException.forbidden(Access.USER.refusal());
        }
        if (!match.endpoint().access().allows(user)) {
            throw ApiException.forbidden(match.endpoint().access().refusal());
        }
        requireJsonBody(method, headers, body);
        Viewer viewer = viewer(user);
        String vhost = match.params().get("vhost");
        if (vhost != null && !viewer.sees(vhost)) {
            throw ApiException.forbidden("Access refused.");
        }
        Request req = new Request(method, match.params(), qs.parameters(), headers, body, viewer);
        Response resp = match.endpoint().handler().handle(req);
        if (method.equals("HEAD")) {
            return Response.empty(resp.status());
        }
        return resp;
    }

    /**
     * A body that changes state must say it is JSON. RabbitMQ insists only for definitions; Warren for
     * every body, because a browser sends a cross-site form or a no-cors fetch (form-encoded,
     * text/plain, or no Content-Type) without asking first, with credentials it remembers for this
     * host; application/json it may send only after a CORS preflight, which this API never grants.
     */
    private static void requireJsonBody(String method, HttpHeaders headers, byte[] body) {
        if (body.length == 0 || method.equals("GET") || method.equals("HEAD")) {
            return;
        }
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        CharSequence mime = type == null ? null : HttpUtil.getMimeType(type);
        if (mime == null || !"application/json".contentEquals(mime.toString().trim().toLowerCase(Locale.ROOT))) {
            throw new ApiException(415, "unsupported_media_type", "Content-Type must be application/json");
        }
    }

    private Viewer viewer(UserInfo user) {
        Map<String, PermissionInfo> perms = new HashMap<>();
        for (PermissionInfo p : ctx.admin().permissions()) {
            if (p.user().equals(user.name())) {
                perms.put(p.vhost(), p);
            }
        }
        return new Viewer(user, perms);
    }

    private Optional<UserInfo> authenticate(String header, boolean fromLoopback) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return ctx.admin().authenticate(decoded.substring(0, colon), decoded.substring(colon + 1), fromLoopback);
    }

    static Response error(ApiException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.error());
        m.put("reason", e.reason());
        Response r = Response.json(e.status(), m);
        if (e.status() == 401) {
            r.header("WWW-Authenticate", REALM);
        }
        return r;
    }
}
