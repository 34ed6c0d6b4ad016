package io.warren.broker.channel;

import io.warren.broker.model.Exchange;
import io.warren.broker.model.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The work of an open AMQP transaction (tx.select): publishes and settlements that take effect
 * only at tx.commit, and are dropped (settlements returned to the unacked set) at tx.rollback.
 */
final class Transaction {
    record Publish(Exchange exchange, Message message, boolean mandatory) {
    }

    /** {@code rejected}: from a reject or nack (dead-lettered when not requeued), not an ack. */
    record Settlement(List<Delivery> deliveries, boolean requeue, boolean rejected) {
    }

    private final List<Publish> publishes = new ArrayList<>();
    private final List<Settlement> settlements = new ArrayList<>();

    void publish(Exchange x, Message msg, boolean mandatory) {
        publishes.add(new Publish(x, msg, mandatory));
    }

    void settle(List<Delivery> deliveries, boolean requeue, boolean rejected) {
        settlements.add(new Settlement(deliveries, requeue, rejected));
    }

    List<Publish> publishes() {
        return publishes;
    }

    List<Settlement> settlements() {
        return settlements;
    }

    void clear() {
        publishes.clear();
        settlements.clear();
    }
}
