package io.warren.management.http;

import io.warren.management.model.UserInfo;

import java.util.List;

/**
 * Who may call an endpoint, by RabbitMQ user tags. {@code USER}: any tag that grants the management
 * UI (management, policymaker, monitoring, administrator). {@code ADMIN}: administrator only.
 */
public enum Access {
    USER, ADMIN;

    private static final List<String> MANAGEMENT_TAGS = List.of("management", "policymaker", "monitoring",
            "administrator");

    public boolean allows(UserInfo u) {
        if (this == ADMIN) {
            return u.hasTag("administrator");
        }
        return u.tags().stream().anyMatch(MANAGEMENT_TAGS::contains);
    }

    public String refusal() {
        return this == ADMIN ? "Not administrator user" : "Not management user";
    }
}
