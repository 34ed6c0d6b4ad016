package io.warren.broker.model;

/**
 * What a queue needs from a consumer. Implemented by the channel layer. Only {@link #tryReserve} is
 * called under the queue's lock; the rest run after it is released, so they may call into queues.
 */
public interface QueueConsumer {
    String tag();

    boolean noAck();

    boolean exclusive();

    /** The {@code x-priority} consumer argument; 0 by default. Higher goes first. */
    int priority();

    /** The consumer's own prefetch limit (basic.qos global=false); 0: none. A queue on another node delivers with it. */
    default int prefetch() {
        return 0;
    }

    /**
     * An id of this consumer that stays the same when it moves to another object serving its queue
     * ({@link #queueReplaced}); "" for none. A quorum queue keeps the consumer's place in its
     * subscription order under it (single active consumer), as RabbitMQ's does across membership changes.
     */
    default String place() {
        return "";
    }

    /** The basic.consume arguments (a stream reads {@code x-stream-offset} there). */
    default java.util.Map<String, Object> arguments() {
        return java.util.Map.of();
    }

    /**
     * Reserve room for one delivery (prefetch credit, socket writability). True means the consumer
     * promises to take the next {@link #deliver} call; false means skip it for now. Called under the
     * queue's lock from any thread: it must not block, take locks or call into any queue (atomics only).
     */
    boolean tryReserve();

    /**
     * Under the queue's lock, right after {@link #tryReserve} said yes: the queue chose {@code entry} for this
     * consumer. Lets the consumer account for it at once (atomics only), before the hand-over after the
     * lock, so one dispatch cannot pick more than the consumer's connection has room for.
     */
    default void reserved(QueueEntry entry) {
    }

    /**
     * Hand one message over. Called after the queue's lock is released, one at a time per queue and in
     * the order the queue picked them (see {@link DeliveryHandOff}), from any thread.
     */
    void deliver(AmqpQueue queue, QueueEntry entry);

    /** The queue went away (deleted): tell the client with basic.cancel (consumer_cancel_notify). */
    void cancelledByBroker(AmqpQueue queue);

    /**
     * Another object serves the queue now ({@link VirtualHost#replaceQueue}; the queue itself did not
     * change) and {@code old} no longer serves this consumer: a consumer that can moves to
     * {@code replacement} unseen by its client, settling what {@code old} handed it through {@code old}.
     * Called after every lock is released. By default it ends as if the queue was deleted.
     */
    default void queueReplaced(AmqpQueue old, AmqpQueue replacement) {
        cancelledByBroker(old);
    }
}
