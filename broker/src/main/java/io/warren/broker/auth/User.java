package io.warren.broker.auth;

import java.util.Set;

/** A broker user: RabbitMQ-format password hash (null = no password login) and tags. */
public record User(String name, String passwordHash, Set<String> tags) {
    public User {
        tags = Set.copyOf(tags);
    }

    public boolean isAdministrator() {
        return tags.contains("administrator");
    }
}
