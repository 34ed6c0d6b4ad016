package io.warren.broker.model;

/**
 * A message's place in one queue: its sequence number there (so a requeue puts it back at its
 * original position), whether it was delivered before, its priority level and the time it expires.
 * Mutated only under the owning queue's lock.
 */
public final class QueueEntry {
    /** {@link #expiresAt()} of a message no TTL applies to. */
    public static final long NO_EXPIRY = Long.MAX_VALUE;

    private final Message message;
    private final long seq;
    private boolean redelivered;
    private int priority;               // level in a priority queue (capped at x-max-priority)
    private long expiresAt = NO_EXPIRY; // epoch ms; set at enqueue from x-message-ttl / expiration
    int heapIndex = -1;                 // position in the queue's ExpiryIndex while ready, else -1
    private boolean removed;            // expired while ready: a tombstone in its ReadyList
    boolean inTail;                     // waiting in a PagedReadyList's tail
    private boolean settleAfterRead;    // delivered without ack, body on disk: settled once it was read

    public QueueEntry(Message message, long seq) {
        this.message = message;
        this.seq = seq;
    }

    public Message message() {
        return message;
    }

    public long seq() {
        return seq;
    }

    public boolean redelivered() {
        return redelivered;
    }

    void markRedelivered() {
        redelivered = true;
    }

    public int priority() {
        return priority;
    }

    void priority(int p) {
        priority = p;
    }

    /** For a priority queue: the level is the message's priority property (none counts as 0). */
    void priorityFromProperties() {
        Integer p = message.properties().priority();
        priority = p == null ? 0 : p;
    }

    /** When this message expires (epoch milliseconds), {@link #NO_EXPIRY} if never. */
    public long expiresAt() {
        return expiresAt;
    }

    void expiresAt(long t) {
        expiresAt = t;
    }

    /**
     * True for an entry delivered without acknowledgement whose body is only on disk: the store must
     * keep it until the body has been read for the delivery, so the channel settles it after that
     * ({@link Queue#settleAfterRead}) instead of the queue at hand-over.
     */
    public boolean settleAfterRead() {
        return settleAfterRead;
    }

    void settleAfterRead(boolean b) {
        settleAfterRead = b;
    }

    boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }
}
