package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.ListQuery;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.model.AdminException;
import io.warren.management.model.PermissionInfo;
import io.warren.management.model.QueueInfo;
import io.warren.management.model.UserInfo;
import io.warren.management.model.VhostInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Virtual hosts, users, whoami and permissions: listing, and (administrators) creating and deleting
 * them. Policies are in {@link PolicyApi}.
 */
final class AccessApi {
    private final ApiContext ctx;

    AccessApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/whoami", req -> Response.json(Map.of("name", req.user().name(), "tags", req.user().tags())));
        r.get("/api/vhosts", req -> Response.json(ListQuery.apply(vhosts(null), req)));
        r.get("/api/vhosts/{vhost}", req -> {
            List<Map<String, Object>> v = vhosts(req.param("vhost"));
            if (v.isEmpty()) {
                throw ApiException.notFound();
            }
            return Response.json(v.get(0));
        });
        r.add("GET", "/api/users", Access.ADMIN, req -> Response.json(ListQuery.apply(users(), req)));
        r.add("GET", "/api/users/{user}", Access.ADMIN, req -> Response.json(user(req.param("user"))));
        r.add("GET", "/api/permissions", Access.ADMIN, req -> Response.json(permissions(null, null)));
        r.add("GET", "/api/users/{user}/permissions", Access.ADMIN, req -> {
            user(req.param("user"));
            return Response.json(permissions(req.param("user"), null));
        });
        r.add("GET", "/api/vhosts/{vhost}/permissions", Access.ADMIN, req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(permissions(null, req.param("vhost")));
        });
        r.add("PUT", "/api/users/{user}", Access.ADMIN, this::putUser);
        r.add("DELETE", "/api/users/{user}", Access.ADMIN, req -> deleted(ctx.admin().deleteUser(req.param("user"))));
        r.add("PUT", "/api/vhosts/{vhost}", Access.ADMIN, this::putVhost);
        r.add("DELETE", "/api/vhosts/{vhost}", Access.ADMIN,
                req -> deleted(ctx.admin().deleteVhost(req.param("vhost"))));
        r.add("GET", "/api/permissions/{vhost}/{user}", Access.ADMIN, req -> {
            List<Map<String, Object>> p = permissions(req.param("user"), req.param("vhost"));
            if (p.isEmpty()) {
                throw ApiException.notFound();
            }
            return Response.json(p.get(0));
        });
        r.add("PUT", "/api/permissions/{vhost}/{user}", Access.ADMIN, this::putPermission);
        r.add("DELETE", "/api/permissions/{vhost}/{user}", Access.ADMIN,
                req -> deleted(ctx.admin().clearPermission(req.param("user"), req.param("vhost"))));
    }

    private static Response deleted(boolean existed) {
        if (!existed) {
            throw ApiException.notFound();
        }
        return Response.empty(204);
    }

    /**
     * Creates the vhost if needed; {@code "tracing": true/false} in the body turns its firehose on or
     * off (RabbitMQ's way to trace_on over HTTP), without it tracing stays as it was.
     */
    private Response putVhost(Request req) {
        JsonNode body = req.jsonObject();
        Boolean tracing = null;
        JsonNode t = body.get("tracing");
        if (t != null && !t.isNull()) {
            if (t.isBoolean() || (t.isTextual() && (t.textValue().equals("true") || t.textValue().equals("false")))) {
                tracing = t.asBoolean();
            } else {
                throw ApiException.badRequest("tracing must be true or false");
            }
        }
        String defaultQueueType = defaultQueueType(body);
        boolean created = ctx.admin().putVhost(req.param("vhost"));
        if (tracing != null) {
            ctx.admin().setTracing(req.param("vhost"), tracing);
        }
        if (defaultQueueType != null) {
            ctx.admin().setDefaultQueueType(req.param("vhost"), defaultQueueType);
        }
        return Response.createdOrExisted(created);
    }

    /**
     * {@code default_queue_type} as RabbitMQ 3.11+ takes it (at the top level or in {@code metadata});
     * null when absent. 3.10 has no such setting; see docs/default-queue-type.md.
     */
    private static String defaultQueueType(JsonNode body) {
        JsonNode t = body.has("default_queue_type") ? body.get("default_queue_type")
                : body.path("metadata").get("default_queue_type");
        if (t == null || t.isNull() || (t.isTextual() && t.textValue().equals("undefined"))) {
            return null;
        }
        if (!t.isTextual() || !io.warren.management.model.VhostInfo.QUEUE_TYPES.contains(t.textValue())) {
            throw ApiException.badRequest("unsupported default queue type " + t + ": use classic, quorum or stream");
        }
        return t.textValue();
    }

    /** RabbitMQ's body: password (or password_hash) and tags, as "a,b" or a list. */
    private Response putUser(Request req) {
        JsonNode body = req.jsonObject();
        String password = body.hasNonNull("password") ? BodyFields.string(body, "password", null) : null;
        String hash = BodyFields.string(body, "password_hash", null);
        List<String> tags = new ArrayList<>();
        JsonNode t = body.get("tags");
        if (t != null && t.isArray()) {
            t.forEach(x -> tags.add(x.asText()));
        } else if (t != null && t.isTextual()) {
            for (String s : t.textValue().split(",")) {
                if (!s.isBlank()) {
                    tags.add(s.trim());
                }
            }
        }
        return Response.createdOrExisted(ctx.admin().putUser(req.param("user"), password, hash, tags));
    }

    private Response putPermission(Request req) {
        JsonNode body = req.jsonObject();
        try {
            return Response.createdOrExisted(ctx.admin().setPermission(req.param("user"), req.param("vhost"),
                    BodyFields.string(body, "configure", ""), BodyFields.string(body, "write", ""),
                    BodyFields.string(body, "read", "")));
        } catch (AdminException e) {
            throw ApiException.badRequest(e.detail());
        }
    }

    private List<Map<String, Object>> vhosts(String only) {
        List<QueueInfo> queues = ctx.admin().queues();
        List<Map<String, Object>> out = new ArrayList<>();
        for (VhostInfo v : ctx.admin().vhosts()) {
            if (only != null && !only.equals(v.name())) {
                continue;
            }
            long ready = 0;
            long unacked = 0;
            for (QueueInfo q : queues) {
                if (q.vhost().equals(v.name())) {
                    ready += q.messagesReady();
                    unacked += q.messagesUnacknowledged();
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", v.name());
            m.put("description", v.description());
            m.put("tags", List.of());
            m.put("default_queue_type", v.defaultQueueType() == null ? "undefined" : v.defaultQueueType());
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("description", v.description());
            metadata.put("tags", List.of());
            if (v.defaultQueueType() != null) {
                metadata.put("default_queue_type", v.defaultQueueType());
            }
            m.put("metadata", metadata);
            m.put("tracing", v.tracing());
            m.put("cluster_state", Map.of(ctx.nodeName(), "running"));
            m.put("messages", ready + unacked);
            m.put("messages_details", Formats.details(0));
            m.put("messages_ready", ready);
            m.put("messages_ready_details", Formats.details(0));
            m.put("messages_unacknowledged", unacked);
            m.put("messages_unacknowledged_details", Formats.details(0));
            out.add(m);
        }
        return out;
    }

    private List<Map<String, Object>> users() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (UserInfo u : ctx.admin().users()) {
            out.add(Formats.user(u));
        }
        return out;
    }

    private Map<String, Object> user(String name) {
        for (UserInfo u : ctx.admin().users()) {
            if (u.name().equals(name)) {
                return Formats.user(u);
            }
        }
        throw ApiException.notFound();
    }

    private List<Map<String, Object>> permissions(String user, String vhost) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PermissionInfo p : ctx.admin().permissions()) {
            if ((user == null || user.equals(p.user())) && (vhost == null || vhost.equals(p.vhost()))) {
                out.add(Formats.permission(p));
            }
        }
        return out;
    }
}
