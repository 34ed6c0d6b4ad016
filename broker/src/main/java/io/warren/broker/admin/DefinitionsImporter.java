package io.warren.broker.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.broker.BrokerState;
import io.warren.broker.auth.PasswordHash;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.User;
import io.warren.broker.model.PolicyValidator;
import io.warren.broker.model.VirtualHost;
import io.warren.routing.ExchangeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports a RabbitMQ definitions file (the JSON that {@code rabbitmqctl export_definitions} and
 * the management API's /api/definitions produce): users with their RabbitMQ password hashes,
 * vhosts, permissions, policies, exchanges, queues and bindings. Used at start ({@code --definitions FILE},
 * like RabbitMQ's load_definitions). Parts Warren does not have yet (most parameters, topic
 * permissions) are skipped with a log line.
 */
public final class DefinitionsImporter {
    private static final Logger LOG = LoggerFactory.getLogger(DefinitionsImporter.class);

    private DefinitionsImporter() {
    }

    public static void importFile(BrokerState state, Path file) throws IOException {
        importDefinitions(state, readFile(file));
        LOG.info("imported definitions from {}", file.toAbsolutePath());
    }

    /** The document in a definitions file; malformed JSON is an IOException naming where. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readFile(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), Map.class);
    }

    public static void importDefinitions(BrokerState state, Map<String, Object> defs) {
        for (Map<String, Object> u : list(defs, "users")) {
            importUser(state, u);
        }
        for (Map<String, Object> v : list(defs, "vhosts")) {
            VirtualHost vhost = state.addVhost(str(v, "name"));
            String type = defaultQueueType(v);
            if (type != null) {
                vhost.setDefaultQueueType(type);
            }
        }
        for (Map<String, Object> p : list(defs, "permissions")) {
            state.addVhost(str(p, "vhost"));
            state.permissions().set(str(p, "user"), str(p, "vhost"),
                    new Permission(str(p, "configure"), str(p, "write"), str(p, "read")));
        }
        for (Map<String, Object> x : list(defs, "exchanges")) {
            VirtualHost v = state.addVhost(str(x, "vhost"));
            ExchangeType type = ExchangeType.fromWireName(str(x, "type"))
                    .orElseThrow(() -> new IllegalArgumentException("unknown exchange type " + x.get("type")));
            if (!io.warren.codec.Wire.fitsShortStr(str(x, "name"))) { // no message could name it in basic.deliver
                throw new IllegalArgumentException("exchange name longer than 255 bytes: "
                        + str(x, "name").substring(0, 40) + "...");
            }
            v.declareExchange(str(x, "name"), type, bool(x, "durable"), bool(x, "auto_delete"), bool(x, "internal"),
                    args(x));
        }
        for (Map<String, Object> q : list(defs, "queues")) {
            VirtualHost v = state.addVhost(str(q, "vhost"));
            v.declareQueue(str(q, "name"), bool(q, "durable"), false, bool(q, "auto_delete"), args(q), null);
        }
        for (Map<String, Object> b : list(defs, "bindings")) {
            VirtualHost v = state.addVhost(str(b, "vhost"));
            if ("queue".equals(b.get("destination_type"))) {
                v.bind(v.requireQueue(str(b, "destination")), str(b, "source"), str(b, "routing_key"), args(b));
            } else {
                v.bindExchange(str(b, "destination"), str(b, "source"), str(b, "routing_key"), args(b));
            }
        }
        for (Map<String, Object> p : list(defs, "parameters")) {
            if ("vhost-limits".equals(p.get("component")) && p.get("value") instanceof Map<?, ?> value) {
                state.addVhost(str(p, "vhost")).setLimits(limit(value.get("max-connections")), limit(value.get("max-queues")));
            } else {
                LOG.warn("definitions: parameter {} of component '{}' is not supported yet and was skipped",
                        p.get("name"), p.get("component"));
            }
        }
        for (Map<String, Object> p : list(defs, "policies")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> definition = p.get("definition") instanceof Map<?, ?> d ? (Map<String, Object>) d : null;
            VirtualHost v = state.addVhost(str(p, "vhost"));
            v.putPolicy(PolicyValidator.create(v.name(), str(p, "name"), str(p, "pattern"), definition,
                    p.get("priority"), (String) p.get("apply-to")));
        }
        for (String skipped : List.of("global_parameters", "topic_permissions")) {
            if (!list(defs, skipped).isEmpty()) {
                LOG.warn("definitions: '{}' are not supported yet and were skipped", skipped);
            }
        }
    }

    private static void importUser(BrokerState state, Map<String, Object> u) {
        String name = str(u, "name");
        String algorithm = (String) u.getOrDefault("hashing_algorithm", PasswordHash.ALGORITHM);
        String hash;
        if (u.get("password") instanceof String plain) {
            hash = PasswordHash.hash(plain);
        } else if (PasswordHash.ALGORITHM.equals(algorithm)) {
            hash = (String) u.get("password_hash");
        } else {
            LOG.warn("definitions: user '{}' has a {} password hash, which Warren cannot check; password login disabled",
                    name, algorithm);
            hash = null;
        }
        state.users().put(new User(name, hash == null || hash.isEmpty() ? null : hash, tags(u.get("tags"))));
    }

    /** RabbitMQ 3.10 writes tags as an array; older exports as "a,b". */
    private static Set<String> tags(Object v) {
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof List<?> l) {
            l.forEach(t -> out.add(String.valueOf(t)));
        } else if (v instanceof String s && !s.isBlank()) {
            Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(out::add);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> defs, String key) {
        Object v = defs.get(key);
        return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static int limit(Object v) {
        return v instanceof Number n ? n.intValue() : -1;
    }

    /**
     * A vhost's default_queue_type as RabbitMQ 3.11+ exports it (top level or in metadata); null if
     * absent or "undefined". An unknown type is refused, as a bad definitions file is.
     */
    private static String defaultQueueType(Map<String, Object> vhost) {
        Object t = vhost.get("default_queue_type");
        if (t == null && vhost.get("metadata") instanceof Map<?, ?> meta) {
            t = meta.get("default_queue_type");
        }
        if (t == null || "undefined".equals(t)) {
            return null;
        }
        if (!(t instanceof String type) || !io.warren.broker.model.DefaultQueueType.valid(type)) {
            throw new IllegalArgumentException("definitions: unsupported default_queue_type " + t + " for vhost "
                    + vhost.get("name"));
        }
        return type;
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("definitions: missing '" + key + "' in " + m);
        }
        return String.valueOf(v);
    }

    private static boolean bool(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    private static Map<String, Object> args(Map<String, Object> m) {
        return m.get("arguments") instanceof Map<?, ?> a ? AmqpValues.tableFromJson(a) : Map.of();
    }
}
