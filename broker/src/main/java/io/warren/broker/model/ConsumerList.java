package io.warren.broker.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A queue's consumers in the order they get messages: by consumer priority (x-priority), and
 * round-robin among equals — or, with single active consumer, registration order with only the
 * first ever receiving. Guarded by the owning queue's lock.
 */
final class ConsumerList {
    private final List<QueueConsumer> consumers = new ArrayList<>();
    private final boolean singleActive;

    ConsumerList(boolean singleActive) {
        this.singleActive = singleActive;
    }

    boolean isEmpty() {
        return consumers.isEmpty();
    }

    int size() {
        return consumers.size();
    }

    /** An exclusive consumer excludes every other, and one cannot join where others are. */
    boolean exclusiveConflict(QueueConsumer joining) {
        return !consumers.isEmpty() && (joining.exclusive() || consumers.get(0).exclusive());
    }

    void add(QueueConsumer consumer) {
        if (singleActive) {
            consumers.add(consumer); // registration order: the first is active, the next takes over
            return;
        }
        // after the last consumer of the same or higher priority, so equal priorities rotate fairly
        int i = consumers.size();
        while (i > 0 && consumers.get(i - 1).priority() < consumer.priority()) {
            i--;
        }
        consumers.add(i, consumer);
    }

    boolean remove(QueueConsumer consumer) {
        return consumers.remove(consumer);
    }

    /** Removes and returns them all (the queue is being deleted). */
    List<QueueConsumer> drain() {
        List<QueueConsumer> all = new ArrayList<>(consumers);
        consumers.clear();
        return all;
    }

    /**
     * The consumer for the next message: the first in priority order with credit. The chosen one
     * moves behind the others of its priority, which makes round-robin exact among equals.
     */
    QueueConsumer nextWithCredit() {
        if (consumers.isEmpty()) {
            return null;
        }
        if (singleActive) {
            QueueConsumer active = consumers.get(0);
            return active.tryReserve() ? active : null;
        }
        for (int i = 0; i < consumers.size(); i++) {
            QueueConsumer c = consumers.get(i);
            if (c.tryReserve()) {
                rotate(i, c);
                return c;
            }
        }
        return null;
    }

    private void rotate(int i, QueueConsumer c) {
        int end = i + 1;
        while (end < consumers.size() && consumers.get(end).priority() == c.priority()) {
            end++;
        }
        if (end - 1 > i) {
            consumers.remove(i);
            consumers.add(end - 1, c);
        }
    }
}
