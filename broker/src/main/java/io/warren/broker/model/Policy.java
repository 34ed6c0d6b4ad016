package io.warren.broker.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One user policy of a vhost, as RabbitMQ's {@code rabbitmqctl set_policy} makes it: a regular
 * expression matched anywhere in a queue's or exchange's name (like Erlang's re:run, not anchored),
 * what it applies to ("queues", "exchanges" or "all"), a priority (only the highest-priority match
 * applies to an object) and a definition. Immutable: a change replaces the policy. Build it with
 * {@link PolicyValidator#create}, which checks it as RabbitMQ does.
 */
public final class Policy {
    private final String vhost;
    private final String name;
    private final String pattern;
    private final Pattern regex;
    private final String applyTo;
    private final int priority;
    private final Map<String, Object> definition; // sorted by key, as RabbitMQ lists it

    Policy(String vhost, String name, String pattern, Pattern regex, String applyTo, int priority,
           Map<String, Object> definition) {
        this.vhost = vhost;
        this.name = name;
        this.pattern = pattern;
        this.regex = regex;
        this.applyTo = applyTo;
        this.priority = priority;
        this.definition = Collections.unmodifiableMap(new TreeMap<>(definition));
    }

    public String vhost() {
        return vhost;
    }

    public String name() {
        return name;
    }

    public String pattern() {
        return pattern;
    }

    public String applyTo() {
        return applyTo;
    }

    public int priority() {
        return priority;
    }

    public Map<String, Object> definition() {
        return definition;
    }

    /** A definition value, or null. */
    Object get(String key) {
        return definition.get(key);
    }

    /** Whether this policy may apply to a queue ({@code queue} true) or exchange of that name. */
    boolean matches(boolean queue, String objectName) {
        boolean kind = applyTo.equals("all") || applyTo.equals(queue ? "queues" : "exchanges");
        return kind && regex.matcher(objectName).find();
    }
}
