package io.warren.broker.stream;

import io.warren.broker.error.ChannelException;
import io.warren.broker.model.Policy;
import io.warren.broker.model.QueueArguments;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stream's declare checked as RabbitMQ 3.10 checks it (texts observed on 3.10), and its retention:
 * {@code x-max-length-bytes}, {@code x-max-age} ({@code 7D}, {@code 12h} ...) and
 * {@code x-stream-max-segment-size-bytes}, each also settable by a policy when the argument is absent.
 */
record StreamSettings(long maxBytes, long maxAgeMillis, long segmentBytes) {
    /** RabbitMQ's default segment size (osiris' max_segment_size_bytes). */
    static final long DEFAULT_SEGMENT_BYTES = 500_000_000L;

    /** Queue arguments a stream refuses whatever their value ("... of queue type rabbit_stream_queue"). */
    private static final Set<String> REFUSED = Set.of("x-max-length", "x-message-ttl", "x-max-priority",
            "x-dead-letter-exchange", "x-dead-letter-routing-key", "x-overflow", "x-expires",
            "x-single-active-consumer", "x-max-in-memory-length", "x-max-in-memory-bytes", "x-delivery-limit",
            "x-dead-letter-strategy", "x-quorum-initial-group-size", "x-queue-mode", "x-queue-master-locator");

    /** RabbitMQ's max-age syntax: a positive count and one unit (Years, Months, Days, hours, minutes, seconds). */
    private static final Pattern AGE = Pattern.compile("(\\d{1,12})([YMDhms])");

    /**
     * Checks a declare of a new stream; throws 406 with RabbitMQ's text. {@code what} is "queue 'q' in
     * vhost '/'"; {@code serverNamed}: the client left the name empty.
     */
    static StreamSettings check(String what, boolean serverNamed, boolean durable, boolean exclusive,
                                boolean autoDelete, Map<String, Object> args, Policy policy) {
        if (serverNamed) {
            throw ChannelException.preconditionFailed("Cannot declare a server-named queue for type rabbit_stream_queue");
        }
        // RabbitMQ 3.10's order: argument values, then arguments of other types, then the flags
        long maxBytes = nonNegative(args, "x-max-length-bytes", what);
        long segment = nonNegative(args, "x-stream-max-segment-size-bytes", what);
        long maxAge = args.containsKey("x-max-age") ? age(args.get("x-max-age"), what) : -1;
        for (String key : args.keySet()) {
            if (REFUSED.contains(key)) {
                throw ChannelException.preconditionFailed("invalid arg '" + key + "' for " + what
                        + " of queue type rabbit_stream_queue");
            }
        }
        if (autoDelete) {
            throw invalidProperty("auto-delete", what);
        }
        if (exclusive) {
            throw invalidProperty("exclusive-owner", what);
        }
        if (!durable) {
            throw invalidProperty("non-durable", what);
        }
        if (maxBytes < 0 && policy != null) {
            maxBytes = policyLong(policy, "max-length-bytes");
        }
        if (segment < 0 && policy != null) {
            segment = policyLong(policy, "stream-max-segment-size-bytes");
        }
        if (maxAge < 0 && policy != null && policy.definition().get("max-age") instanceof String s) {
            Long a = ageMillis(s);
            maxAge = a == null ? -1 : a;
        }
        return new StreamSettings(Math.max(0, maxBytes), Math.max(0, maxAge),
                segment <= 0 ? DEFAULT_SEGMENT_BYTES : segment);
    }

    /** A policy changed: the declared arguments still win, the policy fills in what they leave out. */
    StreamSettings withPolicy(Map<String, Object> args, Policy policy) {
        return check("", false, true, false, false, args, policy);
    }

    private static long policyLong(Policy p, String key) {
        return p.definition().get(key) instanceof Number n ? n.longValue() : -1;
    }

    private static long nonNegative(Map<String, Object> args, String key, String what) {
        if (!args.containsKey(key)) {
            return -1;
        }
        Object v = args.get(key);
        Long n = QueueArguments.integerValue(v);
        if (n == null) {
            throw invalidArg(key, what, "\"expected integer, got " + QueueArguments.typeName(v) + "\"");
        }
        if (n < 0) {
            throw invalidArg(key, what, "{value_negative," + n + "}");
        }
        return n;
    }

    /**
     * x-max-age: a longstr such as {@code 7D}. RabbitMQ 3.10 answers some malformed strings with a 541
     * crash; Warren gives every malformed one the 406 {@code invalid_max_age} it gives the others.
     */
    private static long age(Object v, String what) {
        String s = v instanceof String str ? str : v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : null;
        if (s == null) {
            throw invalidArg("x-max-age", what, "{unacceptable_type," + QueueArguments.typeName(v) + "}");
        }
        Long ms = ageMillis(s);
        if (ms == null) {
            throw invalidArg("x-max-age", what, "invalid_max_age");
        }
        return ms;
    }

    /** Milliseconds of a max-age string, or null if it is not one (zero is not one either). */
    static Long ageMillis(String s) {
        Matcher m = AGE.matcher(s);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        if (n <= 0) {
            return null;
        }
        long unit = switch (m.group(2)) {
            case "Y" -> 365L * 86_400_000L;
            case "M" -> 30L * 86_400_000L;
            case "D" -> 86_400_000L;
            case "h" -> 3_600_000L;
            case "m" -> 60_000L;
            default -> 1_000L;
        };
        return Math.multiplyHigh(n, unit) != 0 ? Long.MAX_VALUE : n * unit;
    }

    private static ChannelException invalidProperty(String property, String what) {
        return ChannelException.preconditionFailed("invalid property '" + property + "' for " + what);
    }

    private static ChannelException invalidArg(String key, String what, String reason) {
        return ChannelException.preconditionFailed("invalid arg '" + key + "' for " + what + ": " + reason);
    }
}
