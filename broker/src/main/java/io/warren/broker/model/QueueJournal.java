package io.warren.broker.model;

import java.util.List;

/**
 * A durable queue's record of its persistent messages (implemented by the persistence layer).
 * The queue reports each entry's first delivery and the moment it leaves for good (ack, reject,
 * expiry, length-limit drop, purge, no-ack delivery), so a restart rebuilds exactly the unsettled
 * ones. Called under the queue's lock: implementations hand the write off and return at once.
 * Entries whose message was not stored (transient messages) are ignored.
 */
public interface QueueJournal {
    /** A queue whose messages are not stored (non-durable queues): every record is dropped. */
    QueueJournal NONE = new QueueJournal() {
        @Override
        public void delivered(QueueEntry entry) {
        }

        @Override
        public void settled(QueueEntry entry) {
        }

        @Override
        public void settled(List<QueueEntry> entries) {
        }

        @Override
        public void deleted() {
        }

        @Override
        public boolean stores() {
            return false;
        }
    };

    /** Whether records reach a store (false only for {@link #NONE}). */
    default boolean stores() {
        return true;
    }

    void delivered(QueueEntry entry);

    void settled(QueueEntry entry);

    void settled(List<QueueEntry> entries);

    /** The queue is gone: all its records can go. */
    void deleted();
}
