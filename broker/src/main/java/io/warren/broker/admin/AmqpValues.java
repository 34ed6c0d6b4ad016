package io.warren.broker.admin;

import io.warren.codec.BasicProperties;
import io.warren.codec.Timestamp;
import io.warren.codec.UnsignedByte;
import io.warren.codec.UnsignedInt;
import io.warren.codec.UnsignedShort;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between AMQP field values and the plain JSON values the management API speaks, the
 * way RabbitMQ's management plugin does: integers from JSON become signed 64-bit ({@code l}),
 * unsigned and timestamp values read back as numbers, byte arrays as text.
 */
final class AmqpValues {
    private AmqpValues() {
    }

    /** An AMQP value (as the codec decodes it) as a value Jackson writes plainly. */
    static Object toJson(Object v) {
        if (v instanceof UnsignedByte b) {
            return b.value();
        } else if (v instanceof UnsignedShort s) {
            return s.value();
        } else if (v instanceof UnsignedInt i) {
            return i.value();
        } else if (v instanceof Timestamp t) {
            return t.epochSeconds();
        } else if (v instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        } else if (v instanceof Map<?, ?> m) {
            return tableToJson(m);
        } else if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(toJson(x)));
            return out;
        } else if (v instanceof Object[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (Object x : a) {
                out.add(toJson(x));
            }
            return out;
        }
        return v;
    }

    static Map<String, Object> tableToJson(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), toJson(val)));
        return out;
    }

    /** A JSON value (from Jackson) as an AMQP field value. */
    static Object fromJson(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        } else if (v instanceof java.math.BigInteger b) {
            return b.longValue();
        } else if (v instanceof Map<?, ?> m) {
            return tableFromJson(m);
        } else if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(fromJson(x)));
            return out;
        }
        return v;
    }

    static Map<String, Object> tableFromJson(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), fromJson(val)));
        return out;
    }

    /** RabbitMQ's JSON property names to basic properties (the API has checked the types). */
    @SuppressWarnings("unchecked")
    static BasicProperties properties(Map<String, Object> p) {
        return new BasicProperties(str(p, "content_type"), str(p, "content_encoding"),
                p.get("headers") instanceof Map<?, ?> h ? tableFromJson(h) : null,
                integer(p, "delivery_mode"), integer(p, "priority"), str(p, "correlation_id"), str(p, "reply_to"),
                str(p, "expiration"), str(p, "message_id"),
                p.get("timestamp") instanceof Number n ? n.longValue() : null,
                str(p, "type"), str(p, "user_id"), str(p, "app_id"), str(p, "cluster_id"));
    }

    /** Basic properties under RabbitMQ's JSON names, absent ones left out. */
    static Map<String, Object> propertiesToJson(BasicProperties b) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "content_type", b.contentType());
        put(m, "content_encoding", b.contentEncoding());
        put(m, "headers", b.headers() == null ? null : tableToJson(b.headers()));
        put(m, "delivery_mode", b.deliveryMode());
        put(m, "priority", b.priority());
        put(m, "correlation_id", b.correlationId());
        put(m, "reply_to", b.replyTo());
        put(m, "expiration", b.expiration());
        put(m, "message_id", b.messageId());
        put(m, "timestamp", b.timestamp());
        put(m, "type", b.type());
        put(m, "user_id", b.userId());
        put(m, "app_id", b.appId());
        put(m, "cluster_id", b.clusterId());
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String str(Map<String, Object> p, String k) {
        Object v = p.get(k);
        return v == null ? null : String.valueOf(v);
    }

    private static Integer integer(Map<String, Object> p, String k) {
        return p.get(k) instanceof Number n ? n.intValue() : null;
    }
}
