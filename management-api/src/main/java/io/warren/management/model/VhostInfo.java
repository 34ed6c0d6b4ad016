package io.warren.management.model;

/**
 * A virtual host; {@code tracing}: the firehose tracer is on (rabbitmqctl trace_on);
 * {@code defaultQueueType}: its default_queue_type, null when unset.
 */
public record VhostInfo(String name, String description, boolean tracing, String defaultQueueType) {
    /** The types a default_queue_type may name. */
    public static final java.util.Set<String> QUEUE_TYPES = java.util.Set.of("classic", "quorum", "stream");

    public VhostInfo(String name, String description) {
        this(name, description, false, null);
    }

    public VhostInfo(String name, String description, boolean tracing) {
        this(name, description, tracing, null);
    }
}
