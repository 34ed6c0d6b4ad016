package io.warren.management.model;

/** A virtual host; {@code tracing}: the firehose tracer is on (rabbitmqctl trace_on). */
public record VhostInfo(String name, String description, boolean tracing) {
    public VhostInfo(String name, String description) {
        this(name, description, false);
    }
}
