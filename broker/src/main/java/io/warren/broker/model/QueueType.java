package io.warren.broker.model;

import java.util.Map;

/**
 * The queue types a declare may ask for with {@code x-queue-type}, and which implementation of
 * {@link AmqpQueue} each gets. Quorum queues run as classic queues until they have their own
 * implementation (RabbitMQ's type name is kept for equivalence checks and /api/queues).
 */
public enum QueueType {
    CLASSIC("classic"),
    QUORUM("quorum"),
    STREAM("stream");

    private final String argument;

    QueueType(String argument) {
        this.argument = argument;
    }

    /** The name as {@code x-queue-type} and /api/queues spell it. */
    public String argument() {
        return argument;
    }

    /** The type the (already validated) arguments ask for; classic without {@code x-queue-type}. */
    public static QueueType of(Map<String, Object> args) {
        Object v = args == null ? null : args.get("x-queue-type");
        if (v == null) {
            return CLASSIC;
        }
        String s = v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : v.toString();
        for (QueueType t : values()) {
            if (t.argument.equals(s)) {
                return t;
            }
        }
        return CLASSIC;
    }
}
