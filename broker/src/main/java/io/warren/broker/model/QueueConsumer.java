package io.warren.broker.model;

/**
 * What a queue needs from a consumer. Implemented by the channel layer; the queue calls these
 * methods while holding its own lock, so implementations must never call back into the queue
 * synchronously.
 */
public interface QueueConsumer {
    String tag();

    boolean noAck();

    boolean exclusive();

    /** The {@code x-priority} consumer argument; 0 by default. Higher goes first. */
    int priority();

    /** The consumer's own prefetch limit (basic.qos global=false); 0: none. */
    default int prefetch() {
        return 0;
    }

    /** The basic.consume arguments (a stream reads {@code x-stream-offset} there). */
    default java.util.Map<String, Object> arguments() {
        return java.util.Map.of();
    }

    /**
     * Reserve room for one delivery (prefetch credit, socket writability). True means the consumer
     * promises to take the next {@link #deliver} call; false means skip it for now.
     */
    boolean tryReserve();

    /** Hand one message over. Called under the queue's lock, in queue order. */
    void deliver(AmqpQueue queue, QueueEntry entry);

    /** The queue went away (deleted): tell the client with basic.cancel (consumer_cancel_notify). */
    void cancelledByBroker(AmqpQueue queue);
}
