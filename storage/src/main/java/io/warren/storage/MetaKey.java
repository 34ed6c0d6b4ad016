package io.warren.storage;

import java.util.Objects;

/**
 * Key of a durable definition. {@code kind} is the broker's word ("exchange", "queue", "binding", "user",
 * "vhost", "permission", "policy"...); {@code name} is unique within (kind, vhost) — for a binding the
 * broker composes one from source, destination, routing key and arguments.
 */
public record MetaKey(String kind, String vhost, String name) {
    public MetaKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(vhost, "vhost");
        Objects.requireNonNull(name, "name");
    }
}
