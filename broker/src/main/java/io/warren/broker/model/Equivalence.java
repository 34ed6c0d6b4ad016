package io.warren.broker.model;

import io.warren.broker.error.ChannelException;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Redeclaration checks with RabbitMQ's 406 texts: "inequivalent arg 'durable' for queue 'q' in
 * vhost '/': received 'false' but current is 'true'". Like RabbitMQ, only the arguments the broker
 * understands are compared; integers of different widths count as the same type class.
 */
public final class Equivalence {
    /** Queue arguments RabbitMQ compares on redeclare (rabbit_amqqueue's declare args list). */
    static final List<String> QUEUE_ARGS = List.of("x-expires", "x-message-ttl", "x-dead-letter-exchange",
            "x-dead-letter-routing-key", "x-max-length", "x-max-length-bytes", "x-max-in-memory-length",
            "x-max-in-memory-bytes", "x-max-priority", "x-overflow", "x-queue-mode", "x-single-active-consumer",
            "x-queue-type", "x-queue-master-locator", "x-queue-leader-locator");
    static final List<String> EXCHANGE_ARGS = List.of("alternate-exchange");

    private Equivalence() {
    }

    static void flag(String what, String field, boolean received, boolean current) {
        if (received != current) {
            throw ChannelException.preconditionFailed("inequivalent arg '" + field + "' for " + what
                    + ": received '" + received + "' but current is '" + current + "'");
        }
    }

    static void value(String what, String field, String received, String current) {
        if (!received.equals(current)) {
            throw ChannelException.preconditionFailed("inequivalent arg '" + field + "' for " + what
                    + ": received '" + received + "' but current is '" + current + "'");
        }
    }

    static void arguments(String what, List<String> keys, Map<String, Object> received, Map<String, Object> current) {
        for (String key : keys) {
            boolean inNew = received != null && received.containsKey(key);
            boolean inOld = current.containsKey(key);
            Object n = inNew ? received.get(key) : null;
            Object o = inOld ? current.get(key) : null;
            if (inNew == inOld && (!inNew || sameClassAndValue(n, o))) {
                continue;
            }
            // RabbitMQ 3.10 prints bare values when both sides have the same type class, and
            // "the value 'v' of type 't'" (or none) otherwise
            boolean plain = inNew && inOld && typeClass(n).equals(typeClass(o));
            throw ChannelException.preconditionFailed("inequivalent arg '" + key + "' for " + what
                    + ": received " + describe(inNew, n, plain) + " but current is " + describe(inOld, o, plain));
        }
    }

    private static boolean sameClassAndValue(Object a, Object b) {
        if (!typeClass(a).equals(typeClass(b))) {
            return false;
        }
        if (isInteger(a)) {
            return ((Number) a).longValue() == ((Number) b).longValue();
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    private static boolean isInteger(Object o) {
        return o instanceof Byte || o instanceof Short || o instanceof Integer || o instanceof Long;
    }

    private static String describe(boolean present, Object v, boolean plain) {
        if (!present) {
            return "none";
        }
        String value = v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(v);
        return plain ? "'" + value + "'" : "the value '" + value + "' of type '" + typeName(v) + "'";
    }

    /** rabbit_misc:type_class: integers of every width are one class. */
    private static String typeClass(Object v) {
        return isInteger(v) ? "int" : typeName(v);
    }

    /** RabbitMQ's names for field types, as its error texts print them (routing knows them). */
    public static String typeName(Object v) {
        return io.warren.routing.ErlangTerms.typeName(v);
    }
}
