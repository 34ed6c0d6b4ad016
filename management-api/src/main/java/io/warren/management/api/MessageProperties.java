package io.warren.management.api;

import io.warren.management.http.ApiException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the {@code properties} of an API publish the way RabbitMQ does: integer fields must be
 * integers ({@code ["not_int","priority"]} otherwise), headers a JSON object, the rest strings.
 * Unknown keys are dropped.
 */
final class MessageProperties {
    private static final Set<String> INTEGERS = Set.of("delivery_mode", "priority", "timestamp");
    private static final Set<String> STRINGS = Set.of("content_type", "content_encoding", "correlation_id", "reply_to",
            "expiration", "message_id", "type", "user_id", "app_id", "cluster_id");

    private MessageProperties() {
    }

    static Map<String, Object> validate(Map<String, Object> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            if (INTEGERS.contains(k)) {
                out.put(k, integer(k, v));
            } else if (STRINGS.contains(k)) {
                out.put(k, String.valueOf(v));
            } else if (k.equals("headers")) {
                if (!(v instanceof Map<?, ?>) && !(v instanceof List<?> l && l.isEmpty())) {
                    throw ApiException.badRequest(List.of("not_table", "headers"));
                }
                if (v instanceof Map<?, ?>) {
                    out.put(k, v);
                }
            }
        }
        return out;
    }

    private static long integer(String key, Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw ApiException.badRequest(List.of("not_int", key));
    }
}
