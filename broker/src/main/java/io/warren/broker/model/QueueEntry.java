package io.warren.broker.model;

/**
 * A message's place in one queue: its sequence number there (so a requeue puts it back at its
 * original position) and whether it was delivered before. Mutated only under the owning queue's lock.
 */
public final class QueueEntry {
    private final Message message;
    private final long seq;
    private boolean redelivered;

    QueueEntry(Message message, long seq) {
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
}
