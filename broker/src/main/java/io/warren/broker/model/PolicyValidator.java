package io.warren.broker.model;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a policy as RabbitMQ 3.10.8 does (rabbit_policy and rabbit_policies' validators) and
 * builds it. The texts are the ones a real 3.10.8 node gives (after its "Validation failed"
 * header), values printed as Erlang terms ({@code <<"abc">>} for a string). Keys that RabbitMQ
 * knows but Warren's classic queues do not use (mirroring, quorum and stream settings, queue-mode)
 * are accepted and ignored, as a classic queue in RabbitMQ ignores them; max-priority is not a
 * policy key in 3.10 and is refused like any unknown key.
 */
public final class PolicyValidator {
    /** A refused policy: {@link #getMessage()} is RabbitMQ's reason. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String reason) {
            super(reason);
        }
    }

    private static final List<String> APPLY_TO = List.of("queues", "exchanges", "all");

    /** Accepted without a check (RabbitMQ validates some of them, but none changes a classic queue). */
    private static final Set<String> IGNORED = Set.of("ha-mode", "ha-params", "ha-sync-mode", "ha-sync-batch-size",
            "ha-promote-on-shutdown", "ha-promote-on-failure", "max-age", "max-in-memory-length", "max-in-memory-bytes",
            "dead-letter-strategy", "initial-cluster-size", "stream-max-segment-size-bytes", "queue-leader-locator",
            "queue-master-locator", "delivery-limit");

    private PolicyValidator() {
    }

    /**
     * A checked policy. {@code priority} is a JSON value (a number, or whatever the client sent);
     * null {@code applyTo} means "all".
     */
    public static Policy create(String vhost, String name, String pattern, Map<String, Object> definition,
                                Object priority, String applyTo) {
        Pattern regex;
        try {
            regex = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new Invalid("pattern should be regular expression but is invalid: {\"" + e.getDescription()
                    + "\"," + Math.max(e.getIndex(), 0) + "}");
        }
        String to = applyTo == null ? "all" : applyTo;
        if (!APPLY_TO.contains(to)) {
            throw new Invalid("apply-to '" + to + "' unrecognised; should be 'queues', 'exchanges' or 'all'");
        }
        int prio = 0;
        if (priority != null) {
            if (!(priority instanceof Number n)) {
                throw new Invalid("priority should be a number, actually was " + term(priority));
            }
            prio = n.intValue();
        }
        if (definition == null || definition.isEmpty()) {
            throw new Invalid("no policy provided");
        }
        Map<String, Object> sorted = new TreeMap<>(definition);
        StringBuilder unknown = new StringBuilder();
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            if (!check(e.getKey(), e.getValue()) && !IGNORED.contains(e.getKey())) {
                unknown.append(unknown.length() == 0 ? "" : ",").append("{<<\"").append(e.getKey()).append("\">>,")
                        .append(term(e.getValue())).append('}');
            }
        }
        if (unknown.length() > 0) {
            throw new Invalid("[" + unknown + "] are not recognised policy settings");
        }
        return new Policy(vhost, name, pattern, regex, to, prio, sorted);
    }

    /** Checks a known key's value (throws with RabbitMQ's text); false if the key is not one of these. */
    private static boolean check(String key, Object v) {
        switch (key) {
            case "alternate-exchange" -> require(v instanceof String, v, "is not a valid alternate exchange name");
            case "dead-letter-exchange" -> require(v instanceof String, v, "is not a valid dead letter exchange name");
            case "dead-letter-routing-key" -> require(v instanceof String s && io.warren.codec.Wire.fitsShortStr(s), v,
                    "is not a valid dead letter routing key"); // longer than 255 bytes: no delivery could carry it
            case "message-ttl" -> require(atLeast(v, 0), v, "is not a valid message TTL");
            case "expires" -> require(atLeast(v, 1), v, "is not a valid queue expiry");
            case "max-length" -> require(atLeast(v, 0), v, "is not a valid maximum length");
            case "max-length-bytes" -> require(atLeast(v, 0), v, "is not a valid maximum length in bytes");
            case "queue-mode" -> require(v instanceof String s && (s.equals("default") || s.equals("lazy")), v,
                    "is not a valid queue-mode value");
            case "overflow" -> require(v instanceof String s && List.of("drop-head", "reject-publish",
                    "reject-publish-dlx").contains(s), v, "is not a valid overflow value");
            case "queue-version" -> require(atLeast(v, 1) && longValue(v) <= 2, v, "is not a valid queue-version value");
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean ok, Object v, String what) {
        if (!ok) {
            throw new Invalid(term(v) + " " + what);
        }
    }

    private static boolean atLeast(Object v, long min) {
        return isInteger(v) && (v instanceof BigInteger b ? b.signum() >= 0 : longValue(v) >= min);
    }

    private static boolean isInteger(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger;
    }

    private static long longValue(Object v) {
        return v instanceof BigInteger b ? (b.bitLength() < 64 ? b.longValue() : Long.MAX_VALUE) : ((Number) v).longValue();
    }

    /** A JSON value as Erlang prints it in RabbitMQ's messages. */
    static String term(Object v) {
        if (v instanceof String s) {
            return "<<\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\">>";
        }
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (Object o : l) {
                b.append(b.length() > 1 ? "," : "").append(term(o));
            }
            return b.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("#{");
            m.forEach((k, x) -> b.append(b.length() > 2 ? "," : "").append(term(String.valueOf(k))).append(" => ")
                    .append(term(x)));
            return b.append('}').toString();
        }
        return String.valueOf(v);
    }
}
