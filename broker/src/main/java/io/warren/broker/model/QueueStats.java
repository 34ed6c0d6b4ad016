package io.warren.broker.model;

/**
 * A queue's counts for the management API, read under the queue's lock so they agree with each other.
 * {@code paged}/{@code pagedBytes}: ready messages whose bodies are only on disk (RabbitMQ's
 * messages_paged_out / message_bytes_paged_out). {@code segments}: a stream's segment files.
 */
public record QueueStats(int ready, int unacked, int consumers, long readyBytes, long published, long delivered,
                         int paged, long pagedBytes, int segments) {

    /** A queue without segments (classic): {@code segments} is 0. */
    public QueueStats(int ready, int unacked, int consumers, long readyBytes, long published, long delivered,
                      int paged, long pagedBytes) {
        this(ready, unacked, consumers, readyBytes, published, delivered, paged, pagedBytes, 0);
    }
}
