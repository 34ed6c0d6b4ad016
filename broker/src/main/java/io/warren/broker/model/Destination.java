package io.warren.broker.model;

/** Where a binding leads: a queue, or another exchange (RabbitMQ's exchange-to-exchange bindings). */
public sealed interface Destination permits AmqpQueue, Exchange {
    String name();
}
