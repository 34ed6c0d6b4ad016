package io.warren.broker.model;

import java.util.Map;

/**
 * Hears every change to the broker's definitions, so the persistence layer can keep the durable
 * ones on disk. Called under the vhost's lock on an event loop: implementations must not block
 * (hand the write to the storage thread). Default methods ignore the event.
 */
public interface TopologyListener {
    TopologyListener NONE = new TopologyListener() {
    };

    default void vhostLimitsChanged(VirtualHost vhost) {
    }

    /** A policy was set ({@code policy} non-null) or cleared. */
    default void policyChanged(VirtualHost vhost, String name, Policy policy) {
    }

    default void exchangeAdded(VirtualHost vhost, Exchange x) {
    }

    default void exchangeRemoved(VirtualHost vhost, Exchange x) {
    }

    default void queueAdded(VirtualHost vhost, AmqpQueue q) {
    }

    default void queueRemoved(VirtualHost vhost, AmqpQueue q) {
    }

    default void bindingAdded(VirtualHost vhost, Exchange source, Destination destination, String key,
                              Map<String, Object> args) {
    }

    default void bindingRemoved(VirtualHost vhost, Exchange source, Destination destination, String key,
                                Map<String, Object> args) {
    }
}
