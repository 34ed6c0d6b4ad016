package io.warren.management.http;

import io.warren.management.model.UserInfo;

import java.util.List;

/**
 * Who may call an endpoint, by RabbitMQ user tags. {@code USER}: any tag that grants the management
 * UI (management, policymaker, monitoring, administrator). {@code MONITOR}: monitoring or
 * administrator (node details). {@code ADMIN}: administrator only.
 */
public enum Access {
    USER, MONITOR, ADMIN;

    private static final List<String> MANAGEMENT_TAGS = List.of("management", "policymaker", "monitoring",
            "administrator");

    public boolean allows(UserInfo u) {
        if (this == ADMIN) {
            return u.hasTag("administrator");
        }
        if (this == MONITOR) {
            return u.hasTag("administrator") || u.hasTag("monitoring");
        }
        return u.tags().stream().anyMatch(MANAGEMENT_TAGS::contains);
    }

    public String refusal() {
        return switch (this) {
            case ADMIN -> "Not administrator user";
            case MONITOR -> "Not monitor user";
            case USER -> "Not management user";
        };
    }
}
