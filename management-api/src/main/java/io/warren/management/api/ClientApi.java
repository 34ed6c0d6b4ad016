package io.warren.management.api;

import io.warren.management.BrokerAdmin;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.ListQuery;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.model.ChannelInfo;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.ConsumerInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Connections (and closing one), channels and consumers. */
final class ClientApi {
    /** RabbitMQ's default close reason when the request has no X-Reason header. */
    static final String DEFAULT_CLOSE_REASON = "Closed via management plugin";

    private final ApiContext ctx;

    ClientApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/connections", req -> Response.json(ListQuery.apply(connections(c -> true), req)));
        r.get("/api/vhosts/{vhost}/connections", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(ListQuery.apply(connections(c -> req.param("vhost").equals(c.vhost())), req));
        });
        r.get("/api/connections/{name}", req -> Response.json(connection(req, req.param("name"))));
        r.add("DELETE", "/api/connections/{name}", Access.USER, this::close);
        r.get("/api/connections/{name}/channels", req -> {
            connection(req, req.param("name"));
            return Response.json(channels(ch -> ch.connectionName().equals(req.param("name"))));
        });
        r.get("/api/channels", req -> Response.json(ListQuery.apply(channels(ch -> true), req)));
        r.get("/api/vhosts/{vhost}/channels", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(ListQuery.apply(channels(ch -> req.param("vhost").equals(ch.vhost())), req));
        });
        r.get("/api/channels/{name}", req -> {
            List<Map<String, Object>> chs = channels(ch -> ch.name().equals(req.param("name"))
                    && req.viewer().sees(ch.vhost()));
            if (chs.isEmpty()) {
                throw ApiException.notFound();
            }
            return Response.json(chs.get(0));
        });
        r.get("/api/consumers", req -> Response.json(ListQuery.apply(consumers(null), req)));
        r.get("/api/consumers/{vhost}", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(ListQuery.apply(consumers(req.param("vhost")), req));
        });
    }

    private List<Map<String, Object>> connections(Predicate<ConnectionInfo> which) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConnectionInfo c : ctx.admin().clients().connections()) {
            if (which.test(c)) {
                out.add(Formats.connection(c, ctx.nodeName()));
            }
        }
        return out;
    }

    private Map<String, Object> connection(Request req, String name) {
        List<Map<String, Object>> found = connections(c -> c.name().equals(name) && req.viewer().sees(c.vhost()));
        if (found.isEmpty()) {
            throw ApiException.notFound();
        }
        return found.get(0);
    }

    private List<Map<String, Object>> channels(Predicate<ChannelInfo> which) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChannelInfo ch : ctx.admin().clients().channels()) {
            if (which.test(ch)) {
                out.add(Formats.channel(ch, ctx.nodeName()));
            }
        }
        return out;
    }

    private List<Map<String, Object>> consumers(String vhost) {
        List<Map<String, Object>> out = new ArrayList<>();
        BrokerAdmin.ClientsSnapshot clients = ctx.admin().clients();
        for (ConsumerInfo c : clients.consumers()) {
            if (vhost == null || c.vhost().equals(vhost)) {
                out.add(Formats.consumer(c, ctx.nodeName()));
            }
        }
        return out;
    }

    /** Closes with 320 CONNECTION_FORCED; the text is the X-Reason header or RabbitMQ's default. */
    private Response close(Request req) {
        Map<String, Object> c = connection(req, req.param("name"));
        // RabbitMQ: closing someone else's connection takes the administrator tag
        if (!req.user().hasTag("administrator") && !req.user().name().equals(c.get("user"))) {
            throw ApiException.forbidden("Not administrator user");
        }
        String reason = req.header("X-Reason");
        if (!ctx.admin().closeConnection(req.param("name"), reason == null || reason.isBlank()
                ? DEFAULT_CLOSE_REASON : reason)) {
            throw ApiException.notFound();
        }
        return Response.empty(204);
    }
}
