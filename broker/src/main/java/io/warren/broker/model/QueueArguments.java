package io.warren.broker.model;

import io.warren.broker.error.ChannelException;
import io.warren.codec.UnsignedByte;
import io.warren.codec.UnsignedInt;
import io.warren.codec.UnsignedShort;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The x-arguments of a classic queue, checked as RabbitMQ 3.10.8 checks them on queue.declare and
 * parsed into the settings the queue runs with. Checks run in RabbitMQ's order (its declare_args
 * list), so with several bad arguments the same one is reported. The 406 texts were read off a real
 * RabbitMQ 3.10.8 node (see QueueArgumentValidationTest); RabbitMQ prints the reason as an Erlang term.
 */
public final class QueueArguments {
    /** rabbit_misc:check_expiry: ten years in milliseconds. */
    static final long MAX_EXPIRY = 315_360_000_000L;
    static final int MAX_PRIORITY = 255;

    /** What a queue does when a publish would take it over its length limit. */
    public enum Overflow {
        DROP_HEAD, REJECT_PUBLISH, REJECT_PUBLISH_DLX
    }

    /** Arguments of other queue types (quorum, stream) that a classic queue refuses whatever their value. */
    private static final Set<String> OTHER_TYPES_ONLY = Set.of("x-max-in-memory-length", "x-max-in-memory-bytes",
            "x-delivery-limit", "x-dead-letter-strategy", "x-max-age", "x-stream-max-segment-size-bytes",
            "x-initial-cluster-size", "x-queue-leader-locator", "x-quorum-initial-group-size");

    static final QueueArguments NONE = new QueueArguments(-1, -1, null, null, -1, -1, Overflow.DROP_HEAD, 0, false);

    private final long messageTtl;       // ms, -1 = none
    private final long expires;          // ms, -1 = none
    private final String deadLetterExchange;   // null = none ("" is the default exchange)
    private final String deadLetterRoutingKey; // null = the message's own keys
    private final long maxLength;        // -1 = none
    private final long maxLengthBytes;   // -1 = none
    private final Overflow overflow;
    private final int maxPriority;       // 0 = not a priority queue
    private final boolean singleActiveConsumer;

    private QueueArguments(long messageTtl, long expires, String dlx, String dlrk, long maxLength, long maxLengthBytes,
                           Overflow overflow, int maxPriority, boolean singleActiveConsumer) {
        this.messageTtl = messageTtl;
        this.expires = expires;
        this.deadLetterExchange = dlx;
        this.deadLetterRoutingKey = dlrk;
        this.maxLength = maxLength;
        this.maxLengthBytes = maxLengthBytes;
        this.overflow = overflow;
        this.maxPriority = maxPriority;
        this.singleActiveConsumer = singleActiveConsumer;
    }

    public long messageTtl() {
        return messageTtl;
    }

    public long expires() {
        return expires;
    }

    public String deadLetterExchange() {
        return deadLetterExchange;
    }

    public String deadLetterRoutingKey() {
        return deadLetterRoutingKey;
    }

    public long maxLength() {
        return maxLength;
    }

    public long maxLengthBytes() {
        return maxLengthBytes;
    }

    public Overflow overflow() {
        return overflow;
    }

    public int maxPriority() {
        return maxPriority;
    }

    public boolean singleActiveConsumer() {
        return singleActiveConsumer;
    }

    boolean hasLengthLimit() {
        return maxLength >= 0 || maxLengthBytes >= 0;
    }

    /**
     * Validates the arguments of a queue about to be created ({@code what} is "queue 'q' in vhost
     * '/'") and parses them; 406 PRECONDITION_FAILED with RabbitMQ's text otherwise.
     */
    public static QueueArguments parse(Map<String, Object> args, String what) {
        if (args == null || args.isEmpty()) {
            return NONE;
        }
        // rabbit_channel checks the dead-letter exchange's type before the queue's own checks run
        if (args.containsKey("x-dead-letter-exchange") && !(args.get("x-dead-letter-exchange") instanceof String)) {
            throw ChannelException.preconditionFailed("invalid type '" + Equivalence.typeName(args.get("x-dead-letter-exchange"))
                    + "' for arg 'x-dead-letter-exchange' in " + what);
        }
        long expires = -1;
        if (args.containsKey("x-expires")) {
            expires = integer(args, "x-expires", what);
            if (expires == 0) {
                throw invalid("x-expires", what, "{value_zero,0}");
            }
            expires = checkExpiry("x-expires", expires, what);
        }
        long ttl = args.containsKey("x-message-ttl") ? checkExpiry("x-message-ttl", integer(args, "x-message-ttl", what), what) : -1;
        String dlx = (String) args.get("x-dead-letter-exchange");
        String dlrk = null;
        if (args.containsKey("x-dead-letter-routing-key")) {
            Object v = args.get("x-dead-letter-routing-key");
            if (!(v instanceof String s)) {
                throw invalid("x-dead-letter-routing-key", what, unacceptable(v));
            }
            if (dlx == null) {
                throw invalid("x-dead-letter-routing-key", what, "routing_key_but_no_dlx_defined");
            }
            // every dead letter would carry it as its routing key, which basic.deliver cannot hold:
            // RabbitMQ 3.10 accepts it and then fails each delivery of the dead letter (541)
            if (!io.warren.codec.Wire.fitsShortStr(s)) {
                throw invalid("x-dead-letter-routing-key", what, "longer than 255 bytes");
            }
            dlrk = s;
        }
        long maxLength = nonNegative(args, "x-max-length", what);
        long maxBytes = nonNegative(args, "x-max-length-bytes", what);
        long maxPriority = nonNegative(args, "x-max-priority", what);
        if (maxPriority > MAX_PRIORITY) {
            throw invalid("x-max-priority", what, "{max_value_exceeded," + maxPriority + "}");
        }
        Overflow overflow = overflow(args, what);
        oneOf(args, "x-queue-mode", List.of("default", "lazy"), "queue mode", what);
        if (args.containsKey("x-queue-version")) {
            long version = integer(args, "x-queue-version", what);
            if (version != 1 && version != 2) {
                throw invalid("x-queue-version", what, "\"unsupported queue version '" + version + "'\"");
            }
        }
        boolean sac = false;
        if (args.containsKey("x-single-active-consumer")) {
            Object v = args.get("x-single-active-consumer");
            if (!(v instanceof Boolean b)) {
                throw invalid("x-single-active-consumer", what, unacceptable(v));
            }
            sac = b;
        }
        String type = oneOf(args, "x-queue-type", List.of("classic", "quorum", "stream"), "queue type", what);
        if (type == null || type.equals("classic")) {
            // Warren runs every queue as a classic one; quorum and stream declarations keep their arguments
            for (String key : args.keySet()) {
                if (OTHER_TYPES_ONLY.contains(key)) {
                    throw ChannelException.preconditionFailed("invalid arg '" + key + "' for " + what
                            + " of queue type rabbit_classic_queue");
                }
            }
        }
        return new QueueArguments(ttl, expires, dlx, dlrk, maxLength, maxBytes, overflow, (int) maxPriority, sac);
    }

    private static Overflow overflow(Map<String, Object> args, String what) {
        String v = oneOf(args, "x-overflow", List.of("drop-head", "reject-publish", "reject-publish-dlx"), null, what);
        if (v == null || v.equals("drop-head")) {
            return Overflow.DROP_HEAD;
        }
        return v.equals("reject-publish") ? Overflow.REJECT_PUBLISH : Overflow.REJECT_PUBLISH_DLX;
    }

    /** A string argument from a fixed set; {@code label} null means RabbitMQ's "invalid_overflow" wording. */
    private static String oneOf(Map<String, Object> args, String key, List<String> allowed, String label, String what) {
        if (!args.containsKey(key)) {
            return null;
        }
        Object v = args.get(key);
        if (!(v instanceof String s)) {
            throw invalid(key, what, unacceptable(v));
        }
        if (!allowed.contains(s)) {
            throw invalid(key, what, label == null ? "invalid_overflow" : "\"unsupported " + label + " '" + s + "'\"");
        }
        return s;
    }

    private static long nonNegative(Map<String, Object> args, String key, String what) {
        if (!args.containsKey(key)) {
            return -1;
        }
        long v = integer(args, key, what);
        if (v < 0) {
            throw invalid(key, what, "{value_negative," + v + "}");
        }
        return v;
    }

    private static long checkExpiry(String key, long v, String what) {
        if (v < 0) {
            throw invalid(key, what, "{value_negative," + v + "}");
        }
        if (v > MAX_EXPIRY) {
            throw invalid(key, what, "{value_too_large," + v + "}");
        }
        return v;
    }

    /** An integer of any AMQP width (RabbitMQ's INTEGER_ARG_TYPES), else "expected integer, got T". */
    private static long integer(Map<String, Object> args, String key, String what) {
        Object v = args.get(key);
        Long n = integerValue(v);
        if (n == null) {
            throw invalid(key, what, "\"expected integer, got " + Equivalence.typeName(v) + "\"");
        }
        return n;
    }

    /** RabbitMQ's name for a field value's type, as its error texts print it ("longstr", "signedint"...). */
    public static String typeName(Object v) {
        return Equivalence.typeName(v);
    }

    /** The value of an integer field of any width, or null if {@code v} is not one. */
    public static Long integerValue(Object v) {
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof UnsignedByte b) {
            return (long) b.value();
        }
        if (v instanceof UnsignedShort s) {
            return (long) s.value();
        }
        if (v instanceof UnsignedInt i) {
            return i.value();
        }
        if (v instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return null;
    }

    private static String unacceptable(Object v) {
        return "{unacceptable_type," + Equivalence.typeName(v) + "}";
    }

    private static ChannelException invalid(String key, String what, String reason) {
        return ChannelException.preconditionFailed("invalid arg '" + key + "' for " + what + ": " + reason);
    }
}
