package io.warren.broker.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A vhost's {@code default_queue_type}: the type a queue.declare without {@code x-queue-type} gets.
 * RabbitMQ 3.10 has no such setting (a 3.10.8 node ignores it on PUT /api/vhosts); this follows
 * RabbitMQ 3.11+ (see docs/default-queue-type.md): a declare without the argument gets
 * {@code x-queue-type} added, shown in /api/queues and definitions like a declared one; a quorum or
 * stream default applies only to durable, non-exclusive, non-auto-delete declares, others stay
 * classic. Redeclaring an existing queue without the argument matches whatever type it has.
 */
public final class DefaultQueueType {
    public static final Set<String> TYPES = Set.of("classic", "quorum", "stream");

    private DefaultQueueType() {
    }

    /** Whether {@code type} can be a vhost's default. */
    public static boolean valid(String type) {
        return TYPES.contains(type);
    }

    /**
     * The arguments a declare is treated as having in a vhost whose default is {@code type} (null:
     * none): {@code args} unchanged if it names a type or no default applies.
     */
    static Map<String, Object> apply(String type, AmqpQueue existing, boolean durable, boolean exclusive,
                                     boolean autoDelete, Map<String, Object> args) {
        if (type == null || (args != null && args.containsKey("x-queue-type"))) {
            return args;
        }
        Object chosen;
        if (existing != null) {
            chosen = existing.arguments() == null ? null : existing.arguments().get("x-queue-type");
        } else {
            boolean replicated = !type.equals("classic");
            chosen = replicated && (!durable || exclusive || autoDelete) ? null : type;
        }
        if (chosen == null) {
            return args;
        }
        Map<String, Object> out = args == null ? new LinkedHashMap<>() : new LinkedHashMap<>(args);
        out.put("x-queue-type", chosen);
        return out;
    }
}
