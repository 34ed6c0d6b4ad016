package io.warren.management.model;

import java.util.Map;

/** One exchange; the default exchange has the name ""; {@code policy} is the name of the one that applies, or null. */
public record ExchangeInfo(String vhost, String name, String type, boolean durable, boolean autoDelete,
                           boolean internal, Map<String, Object> arguments, String policy) {

    /** An exchange no policy applies to. */
    public ExchangeInfo(String vhost, String name, String type, boolean durable, boolean autoDelete,
                        boolean internal, Map<String, Object> arguments) {
        this(vhost, name, type, durable, autoDelete, internal, arguments, null);
    }
}
