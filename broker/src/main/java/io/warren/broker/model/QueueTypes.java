package io.warren.broker.model;

import java.util.EnumMap;
import java.util.Map;

/**
 * Which implementation a declare creates for each {@link QueueType}. Every type starts as a classic
 * {@link Queue}; a type with its own implementation (streams need the broker's storage, for
 * example) registers its factory when the broker starts, before anything is declared or recovered.
 */
public final class QueueTypes {

    /** Creates a queue of one type; throws the AMQP error (406 ...) if the arguments do not fit it. */
    @FunctionalInterface
    public interface Factory {
        AmqpQueue create(VirtualHost vhost, String name, boolean durable, boolean exclusive, boolean autoDelete,
                         Map<String, Object> arguments, Object exclusiveOwner, Policy policy);
    }

    private final Map<QueueType, Factory> factories = new EnumMap<>(QueueType.class);

    public QueueTypes() {
        for (QueueType t : QueueType.values()) {
            factories.put(t, Queue::new);
        }
    }

    public synchronized void register(QueueType type, Factory factory) {
        factories.put(type, factory);
    }

    /** A new queue of the type {@code x-queue-type} names (classic without it). */
    synchronized AmqpQueue create(VirtualHost vhost, String name, boolean durable, boolean exclusive,
                                  boolean autoDelete, Map<String, Object> arguments, Object exclusiveOwner,
                                  Policy policy) {
        return factories.get(QueueType.of(arguments))
                .create(vhost, name, durable, exclusive, autoDelete, arguments, exclusiveOwner, policy);
    }
}
