package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.ListQuery;
import io.warren.management.http.PathCodec;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.http.Viewer;
import io.warren.management.model.AdminException;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.QueueInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * /api/bindings and its nested paths: {@code /api/bindings/{vhost}/e/{source}/q/{queue}} (or
 * {@code /e/{exchange}} for exchange-to-exchange) to list or create, and with a trailing
 * properties key to show or delete one binding.
 */
final class BindingApi {
    private final ApiContext ctx;

    BindingApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/bindings", req -> Response.json(ListQuery.apply(bindings(null), req)));
        r.get("/api/bindings/{vhost}", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(ListQuery.apply(bindings(req.param("vhost")), req));
        });
        for (String kind : List.of("q", "e")) {
            String type = kind.equals("q") ? "queue" : "exchange";
            String base = "/api/bindings/{vhost}/e/{source}/" + kind + "/{destination}";
            r.get(base, req -> Response.json(between(req, type)));
            r.add("POST", base, Access.USER, req -> create(req, type));
            r.get(base + "/{props}", req -> Response.json(one(req, type)));
            r.add("DELETE", base + "/{props}", Access.USER, req -> delete(req, type));
        }
    }

    private List<Map<String, Object>> bindings(String vhost) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BindingInfo b : ctx.admin().bindings()) {
            if (vhost == null || b.vhost().equals(vhost)) {
                out.add(Formats.binding(b));
            }
        }
        return out;
    }

    /** The bindings from source to destination; 404 unless both exist. */
    private List<Map<String, Object>> between(Request req, String type) {
        String vhost = req.param("vhost");
        String source = ExchangeApi.exchangeName(req.param("source"));
        String dest = req.param("destination");
        requireEnds(vhost, source, type, dest);
        List<Map<String, Object>> out = new ArrayList<>();
        for (BindingInfo b : ctx.admin().bindings()) {
            if (b.vhost().equals(vhost) && b.source().equals(source) && b.destinationType().equals(type)
                    && b.destination().equals(dest)) {
                out.add(Formats.binding(b));
            }
        }
        return out;
    }

    private Map<String, Object> one(Request req, String type) {
        for (Map<String, Object> b : between(req, type)) {
            if (b.get("properties_key").equals(req.param("props"))) {
                return b;
            }
        }
        throw ApiException.notFound();
    }

    private void requireEnds(String vhost, String source, String type, String dest) {
        ctx.requireVhost(vhost);
        boolean sourceFound = false;
        boolean destFound = false;
        for (ExchangeInfo x : ctx.admin().exchanges()) {
            if (x.vhost().equals(vhost)) {
                sourceFound |= x.name().equals(source);
                destFound |= type.equals("exchange") && x.name().equals(dest);
            }
        }
        if (type.equals("queue")) {
            for (QueueInfo q : ctx.admin().queues()) {
                destFound |= q.vhost().equals(vhost) && q.name().equals(dest);
            }
        }
        if (!sourceFound || !destFound) {
            throw ApiException.notFound();
        }
    }

    private Response create(Request req, String type) {
        String vhost = req.param("vhost");
        String source = ExchangeApi.exchangeName(req.param("source"));
        String dest = req.param("destination");
        requireEnds(vhost, source, type, dest);
        requireBindRights(req, vhost, source, type, dest);
        JsonNode body = req.jsonObject();
        String key = BodyFields.string(body, "routing_key", "");
        Map<String, Object> args = BodyFields.map(body, "arguments");
        try {
            ctx.admin().bind(vhost, source, type, dest, key, args);
        } catch (AdminException e) {
            throw BodyFields.declareError(e);
        }
        // relative to the request path, as RabbitMQ sends it
        return Response.empty(201).header("Location", PathCodec.encode(dest) + "/" + PropertiesKey.of(key, args));
    }

    /** As queue.bind / exchange.bind: write on the destination, read on the source. */
    private static void requireBindRights(Request req, String vhost, String source, String type, String dest) {
        req.viewer().require(vhost, Viewer.Kind.WRITE, type, dest);
        req.viewer().require(vhost, Viewer.Kind.READ, "exchange", source);
    }

    @SuppressWarnings("unchecked")
    private Response delete(Request req, String type) {
        Map<String, Object> b = one(req, type);
        requireBindRights(req, req.param("vhost"), (String) b.get("source"), type, req.param("destination"));
        try {
            ctx.admin().unbind(req.param("vhost"), (String) b.get("source"), type, req.param("destination"),
                    (String) b.get("routing_key"), (Map<String, Object>) b.get("arguments"));
        } catch (AdminException e) {
            throw BodyFields.declareError(e);
        }
        return Response.empty(204);
    }
}
