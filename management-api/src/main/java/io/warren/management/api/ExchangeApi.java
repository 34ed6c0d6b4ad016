package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.ListQuery;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.http.Viewer;
import io.warren.management.model.AdminException;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ExchangeInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * /api/exchanges: list, show, declare, delete, publish, and an exchange's bindings. The default
 * exchange is addressed as {@code amq.default} in paths, as in RabbitMQ.
 */
final class ExchangeApi {
    private final ApiContext ctx;

    ExchangeApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/exchanges", req -> Response.json(ListQuery.apply(exchanges(null), req)));
        r.get("/api/exchanges/{vhost}", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(ListQuery.apply(exchanges(req.param("vhost")), req));
        });
        r.get("/api/exchanges/{vhost}/{name}", req -> {
            Map<String, Object> m = Formats.exchange(find(req), ctx.rates());
            m.put("incoming", List.of());
            m.put("outgoing", List.of());
            return Response.json(m);
        });
        r.add("PUT", "/api/exchanges/{vhost}/{name}", Access.USER, this::declare);
        r.add("DELETE", "/api/exchanges/{vhost}/{name}", Access.USER, this::delete);
        r.add("POST", "/api/exchanges/{vhost}/{name}/publish", Access.USER, this::publish);
        r.get("/api/exchanges/{vhost}/{name}/bindings/source", req -> bindings(find(req), true));
        r.get("/api/exchanges/{vhost}/{name}/bindings/destination", req -> bindings(find(req), false));
    }

    static String exchangeName(String pathName) {
        return pathName.equals("amq.default") ? "" : pathName;
    }

    private List<Map<String, Object>> exchanges(String vhost) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ExchangeInfo x : ctx.admin().exchanges()) {
            if (vhost == null || x.vhost().equals(vhost)) {
                out.add(Formats.exchange(x, ctx.rates()));
            }
        }
        return out;
    }

    private ExchangeInfo find(Request req) {
        String vhost = req.param("vhost");
        String name = exchangeName(req.param("name"));
        for (ExchangeInfo x : ctx.admin().exchanges()) {
            if (x.vhost().equals(vhost) && x.name().equals(name)) {
                return x;
            }
        }
        throw ApiException.notFound();
    }

    private Response bindings(ExchangeInfo x, boolean asSource) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BindingInfo b : ctx.admin().bindings()) {
            boolean match = asSource ? b.source().equals(x.name())
                    : b.destinationType().equals("exchange") && b.destination().equals(x.name());
            if (b.vhost().equals(x.vhost()) && match) {
                out.add(Formats.binding(b));
            }
        }
        return Response.json(out);
    }

    private Response declare(Request req) {
        String vhost = req.param("vhost");
        if (!ctx.vhostExists(vhost)) {
            throw ApiException.vhostNotFound();
        }
        req.viewer().require(vhost, Viewer.Kind.CONFIGURE, "exchange", exchangeName(req.param("name")));
        JsonNode body = req.jsonObject();
        String type = BodyFields.string(body, "type", "direct");
        boolean durable = BodyFields.bool(body, "durable", false);
        boolean autoDelete = BodyFields.bool(body, "auto_delete", false);
        boolean internal = BodyFields.bool(body, "internal", false);
        Map<String, Object> args = BodyFields.map(body, "arguments");
        try {
            return Response.createdOrExisted(ctx.admin().declareExchange(vhost, exchangeName(req.param("name")), type,
                    durable, autoDelete, internal, args));
        } catch (AdminException e) {
            throw BodyFields.declareError(e);
        }
    }

    private Response delete(Request req) {
        ctx.requireVhost(req.param("vhost"));
        req.viewer().require(req.param("vhost"), Viewer.Kind.CONFIGURE, "exchange", exchangeName(req.param("name")));
        try {
            if (!ctx.admin().deleteExchange(req.param("vhost"), exchangeName(req.param("name")),
                    req.queryFlag("if-unused"))) {
                throw ApiException.notFound();
            }
            return Response.empty(204);
        } catch (AdminException e) {
            throw BodyFields.declareError(e);
        }
    }

    /** RabbitMQ's publish: properties, routing_key, payload and payload_encoding are all required. */
    private Response publish(Request req) {
        ctx.requireVhost(req.param("vhost"));
        // the path name, not the AMQP name: the default exchange is the resource "amq.default" (as RabbitMQ)
        req.viewer().require(req.param("vhost"), Viewer.Kind.WRITE, "exchange", req.param("name"));
        JsonNode body = req.jsonObject();
        BodyFields.require(body, "properties", "routing_key", "payload", "payload_encoding");
        String encoding = BodyFields.string(body, "payload_encoding", "string");
        String payload = BodyFields.string(body, "payload", "");
        byte[] bytes;
        if (encoding.equals("string")) {
            bytes = payload.getBytes(StandardCharsets.UTF_8);
        } else if (encoding.equals("base64")) {
            try {
                bytes = Base64.getMimeDecoder().decode(payload);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("payload is not valid base64");
            }
        } else {
            throw ApiException.badRequest("invalid payload_encoding: " + encoding);
        }
        Map<String, Object> props = MessageProperties.validate(BodyFields.map(body, "properties"));
        try {
            boolean routed = ctx.admin().publish(req.param("vhost"), exchangeName(req.param("name")),
                    BodyFields.string(body, "routing_key", ""), props, bytes);
            return Response.json(Map.of("routed", routed));
        } catch (AdminException e) {
            throw BodyFields.operationError(e);
        }
    }
}
