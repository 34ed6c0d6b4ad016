package io.warren.management.model;

import java.util.Map;

/** One policy of a vhost; {@code definition} holds JSON values, keys sorted as RabbitMQ lists them. */
public record PolicyInfo(String vhost, String name, String pattern, String applyTo, Map<String, Object> definition,
                         int priority) {
}
