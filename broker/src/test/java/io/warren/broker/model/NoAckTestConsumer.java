package io.warren.broker.model;

import java.util.function.BiConsumer;

/** Tests: a no-ack consumer with unlimited credit that hands each delivery to {@code onDeliver}. */
record NoAckTestConsumer(String tag, BiConsumer<AmqpQueue, QueueEntry> onDeliver) implements QueueConsumer {
    @Override
    public boolean noAck() {
        return true;
    }

    @Override
    public boolean exclusive() {
        return false;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean tryReserve() {
        return true;
    }

    @Override
    public void deliver(AmqpQueue queue, QueueEntry entry) {
        onDeliver.accept(queue, entry);
    }

    @Override
    public void cancelledByBroker(AmqpQueue queue) {
    }
}
