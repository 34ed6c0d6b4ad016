package io.warren.management.model;

import java.util.Map;

/** One exchange; the default exchange has the name "". */
public record ExchangeInfo(String vhost, String name, String type, boolean durable, boolean autoDelete,
                           boolean internal, Map<String, Object> arguments) {
}
