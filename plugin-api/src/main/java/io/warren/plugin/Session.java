package io.warren.plugin;

import io.netty.util.concurrent.EventExecutor;

import java.util.Map;

/**
 * One logged-in user in one vhost. Every call checks that user's configure / write / read permissions
 * as the AMQP channel would, and throws {@link PluginException} when refused. Calls may come from any
 * thread; none blocks on I/O.
 */
public interface Session extends AutoCloseable {
    String vhost();

    String user();

    /**
     * Counts this session as an open client connection until {@link #close()}: it takes a slot of the node's
     * and the vhost's connection limits, shows in the management API and hears of resource alarms.
     *
     * @throws PluginException {@link PluginException.Kind#NOT_ALLOWED} when a connection limit is reached
     */
    void open(ClientConnection connection);

    /** The client connection went away: its slot is free again (nothing happens when it was never opened). */
    @Override
    void close();

    /** Declares the queue if missing (configure permission); refuses an existing one with other flags. */
    default void declareQueue(String name, boolean durable, boolean autoDelete) {
        declareQueue(name, durable, autoDelete, Map.of());
    }

    /** As {@link #declareQueue(String, boolean, boolean)}, with queue arguments such as {@code x-expires} (a Long). */
    void declareQueue(String name, boolean durable, boolean autoDelete, Map<String, Object> arguments);

    boolean queueExists(String name);

    /** Deletes the queue if present (configure permission). */
    void deleteQueue(String name);

    /** Binds a queue to an exchange (write on the queue, read on the exchange). */
    void bind(String queue, String exchange, String routingKey);

    void unbind(String queue, String exchange, String routingKey);

    /** The binding keys of a queue to an exchange (empty when the queue is missing). */
    java.util.List<String> bindingKeys(String queue, String exchange);

    /**
     * Publishes (write on the exchange). {@code headers} become AMQP headers (String / Integer / Boolean values);
     * {@code persistent} sets delivery_mode 2. {@code onSafe} runs on {@code executor} once every durable queue
     * that took the message has it on disk (at once when none did). Returns how many queues took it.
     */
    int publish(String exchange, String routingKey, boolean persistent, Map<String, Object> headers, byte[] body,
                EventExecutor executor, Runnable onSafe);

    /**
     * Consumes from a queue (read permission) with at most {@code prefetch} unacknowledged deliveries.
     * {@code sink} is called on {@code executor}, in queue order.
     */
    Subscription consume(String queue, int prefetch, EventExecutor executor, DeliverySink sink);

    /** A delivered message; {@code headers} are the AMQP headers (null when none). */
    record Delivery(long id, String exchange, String routingKey, boolean redelivered, boolean persistent,
                    Map<String, Object> headers, byte[] body) {
    }

    interface DeliverySink {
        /** Whether the client can take more now (socket writable); false holds deliveries back. */
        boolean writable();

        void deliver(Delivery delivery);

        /** The queue was deleted under the subscription. */
        void cancelled();
    }

    interface Subscription {
        /** Settles a delivery; call on the sink's executor. */
        void ack(long deliveryId);

        /** The socket became writable again: resume held-back deliveries. */
        void resume();

        /** Stops consuming; unacknowledged deliveries go back to the queue. */
        void cancel();
    }
}
