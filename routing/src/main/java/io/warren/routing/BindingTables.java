package io.warren.routing;

import java.util.Objects;

/** Creates the binding table for an exchange type. */
public final class BindingTables {

    private BindingTables() {
    }

    public static <D> BindingTable<D> create(ExchangeType type) {
        Objects.requireNonNull(type, "type");
        return switch (type) {
            case DIRECT -> new DirectBindingTable<>();
            case FANOUT -> new FanoutBindingTable<>();
            case TOPIC -> new TopicBindingTable<>();
            case HEADERS -> new HeadersBindingTable<>();
        };
    }
}
