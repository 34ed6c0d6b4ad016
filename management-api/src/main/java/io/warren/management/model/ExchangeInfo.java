package io.warren.management.model;

import java.util.Map;

/**
 * One exchange; the default exchange has the name ""; {@code policy} is the name of the one that applies, or null;
 * {@code publishIn} counts messages published to it, {@code publishOut} the copies it routed to queues.
 */
public record ExchangeInfo(String vhost, String name, String type, boolean durable, boolean autoDelete,
                           boolean internal, Map<String, Object> arguments, String policy, long publishIn,
                           long publishOut) {

    /** An exchange with no traffic counted. */
    public ExchangeInfo(String vhost, String name, String type, boolean durable, boolean autoDelete,
                        boolean internal, Map<String, Object> arguments, String policy) {
        this(vhost, name, type, durable, autoDelete, internal, arguments, policy, 0, 0);
    }

    /** An exchange no policy applies to. */
    public ExchangeInfo(String vhost, String name, String type, boolean durable, boolean autoDelete,
                        boolean internal, Map<String, Object> arguments) {
        this(vhost, name, type, durable, autoDelete, internal, arguments, null);
    }
}
