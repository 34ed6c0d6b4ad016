package io.warren.broker.model;

/**
 * A queue's ready messages in delivery order: {@link ReadyList} (FIFO) or {@link PriorityReadyList}
 * (x-max-priority). Used only under the owning queue's lock. Sizes and byte counts cover live
 * entries only (RabbitMQ's length limits count ready messages and their body bytes).
 */
interface ReadyMessages {
    /** A newly published message goes behind everything of its priority. */
    void append(QueueEntry e);

    /** A delivered message comes back: to its original position, ahead of newer ones. */
    void requeue(QueueEntry e);

    /** The next message to deliver, removed; null if none. */
    QueueEntry poll();

    /** The next message to deliver, left in place; null if none. */
    QueueEntry peek();

    /** Takes a ready entry out wherever it is (it expired); the entry must be ready in this list. */
    void remove(QueueEntry e);

    int size();

    long bytes();

    default boolean isEmpty() {
        return size() == 0;
    }

    /** Drops everything; returns how many messages there were. */
    int clear();
}
