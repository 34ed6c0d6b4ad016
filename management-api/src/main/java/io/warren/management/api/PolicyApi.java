package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.http.Json;
import io.warren.management.model.AdminException;
import io.warren.management.model.PolicyInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /api/policies as RabbitMQ 3.10's management plugin answers it (observed on 3.10.8): lists, one
 * policy, PUT (201 created, 204 replaced) and DELETE (204; 404 if there was none). A refused
 * policy is 400 with {@code "Validation failed\n\n<reason>\n"}, the reason HTML-escaped as RabbitMQ
 * sends it; a body without pattern or definition is 400 {@code [{key_missing,pattern}]}. Anyone
 * with management access may read policies; changing them takes the administrator tag.
 */
final class PolicyApi {
    private final ApiContext ctx;

    PolicyApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/policies", req -> Response.json(list(null)));
        r.get("/api/policies/{vhost}", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(list(req.param("vhost")));
        });
        r.get("/api/policies/{vhost}/{name}", req -> {
            for (Map<String, Object> p : list(req.param("vhost"))) {
                if (p.get("name").equals(req.param("name"))) {
                    return Response.json(p);
                }
            }
            throw ApiException.notFound();
        });
        r.add("PUT", "/api/policies/{vhost}/{name}", Access.ADMIN, this::put);
        r.add("DELETE", "/api/policies/{vhost}/{name}", Access.ADMIN, req -> {
            ctx.requireVhost(req.param("vhost"));
            if (!ctx.admin().deletePolicy(req.param("vhost"), req.param("name"))) {
                throw ApiException.notFound();
            }
            return Response.empty(204);
        });
    }

    /** RabbitMQ's JSON for one policy; {@code withVhost} false inside a per-vhost definitions export. */
    static Map<String, Object> format(PolicyInfo p, boolean withVhost) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withVhost) {
            m.put("vhost", p.vhost());
        }
        m.put("name", p.name());
        m.put("pattern", p.pattern());
        m.put("apply-to", p.applyTo());
        m.put("definition", p.definition());
        m.put("priority", p.priority());
        return m;
    }

    private List<Map<String, Object>> list(String vhost) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PolicyInfo p : ctx.admin().policies()) {
            if (vhost == null || vhost.equals(p.vhost())) {
                out.add(format(p, true));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Response put(Request req) {
        String vhost = req.param("vhost");
        if (!ctx.vhostExists(vhost)) {
            throw ApiException.vhostNotFound(); // RabbitMQ's body differs from the GET's 404 here
        }
        JsonNode body = req.jsonObject();
        List<String> missing = new ArrayList<>();
        for (String key : List.of("pattern", "definition")) {
            if (!body.has(key)) {
                missing.add("{key_missing," + key + "}");
            }
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("[" + String.join(",", missing) + "]");
        }
        JsonNode def = body.get("definition");
        Map<String, Object> definition = def.isObject() ? Json.MAPPER.convertValue(def, LinkedHashMap.class) : Map.of();
        Object priority = body.has("priority") ? Json.MAPPER.convertValue(body.get("priority"), Object.class) : null;
        String applyTo = body.hasNonNull("apply-to") ? body.get("apply-to").asText() : null;
        try {
            return Response.createdOrExisted(ctx.admin().putPolicy(vhost, req.param("name"),
                    body.get("pattern").asText(), definition, priority, applyTo));
        } catch (AdminException e) {
            throw ApiException.badRequest(e.detail());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(escape("Validation failed\n\n" + e.getMessage() + "\n"));
        }
    }

    /** RabbitMQ's management plugin HTML-escapes error reasons. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
