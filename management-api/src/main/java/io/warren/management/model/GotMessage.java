package io.warren.management.model;

import java.util.Map;

/**
 * A message taken from a queue by the API's get.
 *
 * @param messageCount ready messages left in the queue after this one was taken
 * @param properties   basic properties under RabbitMQ's JSON names (content_type, headers, ...)
 */
public record GotMessage(byte[] payload, boolean redelivered, String exchange, String routingKey, long messageCount,
                         Map<String, Object> properties) {
}
