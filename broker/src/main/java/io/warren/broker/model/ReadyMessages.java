package io.warren.broker.model;

/**
 * A queue's ready messages in delivery order: {@link ReadyList} (FIFO) or {@link PriorityReadyList}
 * (x-max-priority). Used only under the owning queue's lock. Sizes and byte counts cover live
 * entries only (RabbitMQ's length limits count ready messages and their body bytes).
 */
interface ReadyMessages {
    /**
     * Durable queues can page persistent messages out of the heap ({@link PagedReadyList});
     * {@code onPaged} hears of each paged entry.
     */
    static ReadyMessages forQueue(int maxPriority, boolean durable, java.util.function.Consumer<QueueEntry> onPaged) {
        java.util.function.Supplier<ReadyMessages> level = durable ? () -> new PagedReadyList(onPaged) : ReadyList::new;
        return maxPriority > 0 ? new PriorityReadyList(maxPriority, level) : level.get();
    }

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

    /** A journal write completed: messages now on disk may leave the heap (durable queues only). */
    default void pageOut() {
    }

    /** Ready messages held without their bodies, only as their place on disk. */
    default int pagedCount() {
        return 0;
    }

    /** The earliest expiry among the paged messages' fronts, {@link QueueEntry#NO_EXPIRY} if none. */
    default long nextPagedExpiry() {
        return QueueEntry.NO_EXPIRY;
    }

    /**
     * The queue sequence number of the first paged message whose time has passed (the lowest among
     * several fronts), {@link Long#MAX_VALUE} if none: the queue expires in queue order, merging these
     * with the whole messages of its expiry index.
     */
    default long pagedExpiredSeq(long now) {
        return Long.MAX_VALUE;
    }

    /** Takes the paged message {@link #pagedExpiredSeq} named, or returns null if there is none. */
    default QueueEntry pollPagedExpired(long now) {
        return null;
    }

    /** Body bytes of the {@link #pagedCount paged} messages (on disk only). */
    default long pagedBytes() {
        return 0;
    }
}
