package io.warren.management.model;

import java.util.List;

/**
 * A broker user.
 *
 * @param passwordHash RabbitMQ-format hash (base64 of salt + SHA-256), or null while the broker keeps none
 * @param tags         RabbitMQ user tags: administrator, monitoring, management, policymaker
 */
public record UserInfo(String name, String passwordHash, List<String> tags) {
    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }
}
