package io.warren.management.api;

import io.warren.management.BrokerAdmin;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.ListQuery;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.http.Viewer;
import io.warren.management.model.ChannelInfo;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.ConsumerInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Connections (and closing one), channels and consumers. As in RabbitMQ, a user tagged only
 * {@code management} (or {@code policymaker}) sees just its own; monitoring and administrator users
 * see all.
 */
final class ClientApi {
    /** RabbitMQ's default close reason when the request has no X-Reason header. */
    static final String DEFAULT_CLOSE_REASON = "Closed via management plugin";

    private final ApiContext ctx;

    ClientApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/connections", req -> Response.json(ListQuery.apply(connections(req, c -> true), req)));
        r.get("/api/vhosts/{vhost}/connections", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(ListQuery.apply(connections(req, c -> req.param("vhost").equals(c.vhost())), req));
        });
        r.get("/api/connections/{name}", req -> Response.json(connection(req, req.param("name"))));
        r.add("DELETE", "/api/connections/{name}", Access.USER, this::close);
        r.get("/api/connections/{name}/channels", req -> {
            connection(req, req.param("name"));
            return Response.json(channels(req, ch -> ch.connectionName().equals(req.param("name"))));
        });
        r.get("/api/channels", req -> Response.json(ListQuery.apply(channels(req, ch -> true), req)));
        r.get("/api/vhosts/{vhost}/channels", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(ListQuery.apply(channels(req, ch -> req.param("vhost").equals(ch.vhost())), req));
        });
        r.get("/api/channels/{name}", this::channel);
        r.get("/api/consumers", req -> Response.json(ListQuery.apply(consumers(req, null), req)));
        r.get("/api/consumers/{vhost}", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(ListQuery.apply(consumers(req, req.param("vhost")), req));
        });
    }

    /** The connections the caller may see that {@code which} selects. */
    private List<Map<String, Object>> connections(Request req, Predicate<ConnectionInfo> which) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConnectionInfo c : ctx.admin().clients().connections()) {
            if (which.test(c) && req.viewer().seesClientOf(c.user())) {
                out.add(Formats.connection(c, ctx.nodeName()));
            }
        }
        return out;
    }

    /** One connection: 404 if there is none in a vhost the caller sees, 403 if it is someone else's. */
    private Map<String, Object> connection(Request req, String name) {
        for (ConnectionInfo c : ctx.admin().clients().connections()) {
            if (c.name().equals(name) && req.viewer().sees(c.vhost())) {
                req.viewer().requireClientOf(c.user());
                return Formats.connection(c, ctx.nodeName());
            }
        }
        throw ApiException.notFound();
    }

    private List<Map<String, Object>> channels(Request req, Predicate<ChannelInfo> which) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChannelInfo ch : ctx.admin().clients().channels()) {
            if (which.test(ch) && req.viewer().seesClientOf(ch.user())) {
                out.add(Formats.channel(ch, ctx.nodeName()));
            }
        }
        return out;
    }

    private Response channel(Request req) {
        for (ChannelInfo ch : ctx.admin().clients().channels()) {
            if (ch.name().equals(req.param("name")) && req.viewer().sees(ch.vhost())) {
                req.viewer().requireClientOf(ch.user());
                return Response.json(Formats.channel(ch, ctx.nodeName()));
            }
        }
        throw ApiException.notFound();
    }

    private List<Map<String, Object>> consumers(Request req, String vhost) {
        List<Map<String, Object>> out = new ArrayList<>();
        BrokerAdmin.ClientsSnapshot clients = ctx.admin().clients();
        for (ConsumerInfo c : clients.consumers()) {
            if ((vhost == null || c.vhost().equals(vhost)) && req.viewer().seesClientOf(c.user())) {
                out.add(Formats.consumer(c, ctx.nodeName()));
            }
        }
        return out;
    }

    /** Closes with 320 CONNECTION_FORCED; the text is the X-Reason header or RabbitMQ's default. */
    private Response close(Request req) {
        Map<String, Object> c = connection(req, req.param("name"));
        // RabbitMQ: closing someone else's connection takes the administrator tag (monitoring only looks)
        if (!req.user().hasTag("administrator") && !req.user().name().equals(c.get("user"))) {
            throw ApiException.forbidden(Viewer.NOT_YOURS);
        }
        String reason = req.header("X-Reason");
        if (!ctx.admin().closeConnection(req.param("name"), reason == null || reason.isBlank()
                ? DEFAULT_CLOSE_REASON : reason)) {
            throw ApiException.notFound();
        }
        return Response.empty(204);
    }
}
