package io.warren.storage;

/**
 * One live message of one queue after a restart. Immutable to the broker; the replayer fills it in while
 * it reads the journal (it is its own bookkeeping entry, so a million recovered messages cost one object
 * each, not two).
 */
public final class RecoveredMessage {
    private final long messageId;
    private final long location;
    private final byte[] meta;
    private final long bodySize;
    final long queueId;
    boolean redelivered;
    boolean live = true;
    /** The same message in the next queue of a fan-out. */
    RecoveredMessage next;

    RecoveredMessage(long messageId, long location, byte[] meta, long bodySize, long queueId) {
        this.messageId = messageId;
        this.location = location;
        this.meta = meta;
        this.bodySize = bodySize;
        this.queueId = queueId;
    }

    /** The id the broker gave it when it published. */
    public long messageId() {
        return messageId;
    }

    /** Where it lives in the journal; pass to {@link MessageStore#read} for meta and body. */
    public long location() {
        return location;
    }

    /** The opaque bytes the broker stored with it (shared between the queues of a fan-out). */
    public byte[] meta() {
        return meta;
    }

    /** Length of the body in bytes; the body itself stays on disk. */
    public long bodySize() {
        return bodySize;
    }

    /** It was handed to a consumer of this queue before the restart and never settled. */
    public boolean redelivered() {
        return redelivered;
    }

    @Override
    public String toString() {
        return "RecoveredMessage[id=" + messageId + ", location=" + location + ", bodySize=" + bodySize
                + ", redelivered=" + redelivered + "]";
    }
}
