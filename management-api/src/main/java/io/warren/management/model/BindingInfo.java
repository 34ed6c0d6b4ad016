package io.warren.management.model;

import java.util.Map;

/**
 * One binding. {@code destinationType} is "queue" or "exchange"; the default exchange's implicit
 * bindings (source "") are listed too, as RabbitMQ lists them.
 */
public record BindingInfo(String vhost, String source, String destination, String destinationType,
                          String routingKey, Map<String, Object> arguments) {
}
