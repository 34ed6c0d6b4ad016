package io.warren.routing;

import java.util.Optional;

/** The four AMQP 0-9-1 exchange types RabbitMQ ships with, keyed by their wire name. */
public enum ExchangeType {
    DIRECT("direct"),
    FANOUT("fanout"),
    TOPIC("topic"),
    HEADERS("headers");

    private final String wireName;

    ExchangeType(String wireName) {
        this.wireName = wireName;
    }

    /** The name clients send in {@code exchange.declare} ("direct", "fanout", "topic", "headers"). */
    public String wireName() {
        return wireName;
    }

    /**
     * Looks a type up by its wire name. Exact and case-sensitive, as in RabbitMQ's registry:
     * "Topic" is an unknown type there (503 COMMAND_INVALID), so it is empty here.
     */
    public static Optional<ExchangeType> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (ExchangeType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
