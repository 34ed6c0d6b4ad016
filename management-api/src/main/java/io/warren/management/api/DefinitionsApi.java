package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.management.BrokerAdmin;
import io.warren.management.http.Access;
import io.warren.management.http.Json;
import io.warren.management.http.ApiException;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.model.AdminException;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.PermissionInfo;
import io.warren.management.model.PolicyInfo;
import io.warren.management.model.QueueInfo;
import io.warren.management.model.UserInfo;
import io.warren.management.model.VhostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Definitions export and import in RabbitMQ's JSON format, so a file exported from RabbitMQ
 * imports here and the other way round. Import goes to the broker's own importer: users (with
 * their RabbitMQ password hashes), vhosts, permissions, policies, exchanges, queues and bindings;
 * parameters other than vhost limits are skipped with a log line.
 */
final class DefinitionsApi {
    private static final Logger LOG = LoggerFactory.getLogger(DefinitionsApi.class);

    private final ApiContext ctx;

    DefinitionsApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.add("GET", "/api/definitions", Access.ADMIN, req -> Response.json(export(null)));
        r.add("GET", "/api/definitions/{vhost}", Access.ADMIN, req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(export(req.param("vhost")));
        });
        r.add("POST", "/api/definitions", Access.ADMIN, req -> importDefinitions(req.jsonObject(), null));
        r.add("POST", "/api/definitions/{vhost}", Access.ADMIN, req -> {
            ctx.requireVhost(req.param("vhost"));
            return importDefinitions(req.jsonObject(), req.param("vhost"));
        });
    }

    /** The whole broker, or one vhost (whose objects then carry no vhost field, as in RabbitMQ). */
    Map<String, Object> export(String onlyVhost) {
        BrokerAdmin admin = ctx.admin();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rabbit_version", OverviewApi.RABBITMQ_COMPAT_VERSION);
        d.put("rabbitmq_version", OverviewApi.RABBITMQ_COMPAT_VERSION);
        d.put("product_name", admin.node().product());
        d.put("product_version", admin.node().version());
        if (onlyVhost == null) {
            List<Map<String, Object>> users = new ArrayList<>();
            List<Map<String, Object>> permissions = new ArrayList<>();
            List<Map<String, Object>> vhosts = new ArrayList<>();
            for (VhostInfo v : admin.vhosts()) {
                if (v.defaultQueueType() == null) {
                    vhosts.add(Map.of("name", v.name()));
                } else { // as RabbitMQ 3.11+ exports it
                    vhosts.add(Map.of("name", v.name(), "default_queue_type", v.defaultQueueType(),
                            "metadata", Map.of("default_queue_type", v.defaultQueueType())));
                }
            }
            for (UserInfo u : admin.users()) {
                users.add(Formats.user(u));
            }
            for (PermissionInfo p : admin.permissions()) {
                permissions.add(Formats.permission(p));
            }
            d.put("users", users);
            d.put("vhosts", vhosts);
            d.put("permissions", permissions);
            d.put("topic_permissions", List.of());
            d.put("parameters", List.of());
            d.put("global_parameters", List.of());
        }
        List<Map<String, Object>> policies = new ArrayList<>();
        for (PolicyInfo p : admin.policies()) {
            if (onlyVhost == null || onlyVhost.equals(p.vhost())) {
                policies.add(PolicyApi.format(p, onlyVhost == null));
            }
        }
        d.put("policies", policies);
        d.put("queues", queues(onlyVhost));
        d.put("exchanges", exchanges(onlyVhost));
        d.put("bindings", bindings(onlyVhost));
        return d;
    }

    /** Exclusive queues belong to a connection and are not definitions (RabbitMQ leaves them out too). */
    private List<Map<String, Object>> queues(String only) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (QueueInfo q : ctx.admin().queues()) {
            if (q.exclusive() || (only != null && !only.equals(q.vhost()))) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", q.name());
            putVhost(m, q.vhost(), only);
            m.put("durable", q.durable());
            m.put("auto_delete", q.autoDelete());
            m.put("arguments", q.arguments());
            out.add(m);
        }
        return out;
    }

    /** Built-in exchanges (the default one and amq.*) exist everywhere and are not exported. */
    private List<Map<String, Object>> exchanges(String only) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ExchangeInfo x : ctx.admin().exchanges()) {
            if (x.name().isEmpty() || x.name().startsWith("amq.") || (only != null && !only.equals(x.vhost()))) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", x.name());
            putVhost(m, x.vhost(), only);
            m.put("type", x.type());
            m.put("durable", x.durable());
            m.put("auto_delete", x.autoDelete());
            m.put("internal", x.internal());
            m.put("arguments", x.arguments());
            out.add(m);
        }
        return out;
    }

    private List<Map<String, Object>> bindings(String only) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BindingInfo b : ctx.admin().bindings()) {
            if (b.source().isEmpty() || (only != null && !only.equals(b.vhost()))) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", b.source());
            putVhost(m, b.vhost(), only);
            m.put("destination", b.destination());
            m.put("destination_type", b.destinationType());
            m.put("routing_key", b.routingKey());
            m.put("arguments", b.arguments());
            out.add(m);
        }
        return out;
    }

    private static void putVhost(Map<String, Object> m, String vhost, String only) {
        if (only == null) {
            m.put("vhost", vhost);
        }
    }

    /**
     * Hands the document to the broker's importer (the one {@code --definitions} uses). For a
     * per-vhost import every object lands in the vhost of the path, as in RabbitMQ.
     */
    @SuppressWarnings("unchecked")
    private Response importDefinitions(JsonNode defs, String intoVhost) {
        Map<String, Object> doc = Json.MAPPER.convertValue(defs, LinkedHashMap.class);
        if (intoVhost != null) {
            for (String key : List.of("queues", "exchanges", "bindings", "policies", "parameters")) {
                if (doc.get(key) instanceof List<?> items) {
                    for (Object item : items) {
                        if (item instanceof Map<?, ?> m) {
                            ((Map<String, Object>) m).put("vhost", intoVhost);
                        }
                    }
                }
            }
            doc.keySet().retainAll(List.of("queues", "exchanges", "bindings", "policies", "parameters"));
        }
        try {
            ctx.admin().importDefinitions(doc);
        } catch (AdminException e) {
            throw ApiException.badRequest(e.detail());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(String.valueOf(e.getMessage()));
        }
        LOG.info("definitions imported over HTTP: {} exchanges, {} queues, {} bindings", items(defs, "exchanges").size(),
                items(defs, "queues").size(), items(defs, "bindings").size());
        return Response.empty(204);
    }

    private static List<JsonNode> items(JsonNode defs, String key) {
        JsonNode n = defs.get(key);
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(out::add);
        }
        return out;
    }
}
