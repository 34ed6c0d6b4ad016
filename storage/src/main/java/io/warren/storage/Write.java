package io.warren.storage;

import java.util.Objects;

/**
 * One operation the broker hands to {@link MessageStore#submit}. Operations are appended to the journal
 * in submission order by the store's single writer thread, so a settle submitted after its publish is
 * always replayed after it.
 */
public sealed interface Write permits Write.Publish, Write.Settle, Write.Delivered, Write.DeleteQueue {

    /** Bytes this operation puts in the journal, roughly; used for batching and disk checks. */
    long approximateBytes();

    /**
     * A persistent message for one or more durable queues. The body is stored once however many queues
     * it goes to. {@code meta} is opaque to storage (the broker keeps exchange, routing key, content
     * header there) and comes back from {@link MessageStore#recover()} and {@link MessageStore#read}.
     */
    record Publish(long messageId, byte[] meta, byte[] body, long[] queueIds) implements Write {
        public Publish {
            Objects.requireNonNull(meta, "meta");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(queueIds, "queueIds");
            if (queueIds.length == 0) throw new IllegalArgumentException("a publish needs at least one queue");
            if (messageId <= 0) throw new IllegalArgumentException("message ids come from MessageStore.newMessageId()");
        }

        @Override
        public long approximateBytes() {
            return 64L + meta.length + body.length + 8L * queueIds.length;
        }
    }

    /**
     * The message left the queue for good: acked, rejected without requeue, expired, dropped by a purge
     * or a length limit. Several ids of one queue may share one record (a multiple ack, a purge).
     */
    record Settle(long queueId, long[] messageIds) implements Write {
        public Settle {
            Objects.requireNonNull(messageIds, "messageIds");
        }

        public Settle(long queueId, long messageId) {
            this(queueId, new long[] {messageId});
        }

        @Override
        public long approximateBytes() {
            return 32L + 8L * messageIds.length;
        }
    }

    /**
     * The message was handed to a consumer for the first time. After a restart, messages with this record
     * come back with {@code redelivered=true}. Needs no callback: it rides along with the next sync.
     */
    record Delivered(long queueId, long[] messageIds) implements Write {
        public Delivered {
            Objects.requireNonNull(messageIds, "messageIds");
        }

        public Delivered(long queueId, long messageId) {
            this(queueId, new long[] {messageId});
        }

        @Override
        public long approximateBytes() {
            return 32L + 8L * messageIds.length;
        }
    }

    /** The queue is gone with everything in it, ready or unacked. Never reuse a deleted queue's id. */
    record DeleteQueue(long queueId) implements Write {
        @Override
        public long approximateBytes() {
            return 32L;
        }
    }
}
