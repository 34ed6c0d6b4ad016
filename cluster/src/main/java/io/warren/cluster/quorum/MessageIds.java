package io.warren.cluster.quorum;

/**
 * Message ids of a quorum queue. A message's body stays in the Raft log entry that enqueued it, so its
 * id says where to find it. An entry holds one enqueue ({@link QueueCommand.Enqueue}, the id is the
 * entry's log index, as in logs written before batches) or a batch of them ({@link
 * QueueCommand.EnqueueBatch}): then the id is the entry's index and the message's slot in it, with a
 * flag bit above both. Flagged ids are larger than every unflagged one, and both kinds grow with the
 * log, so ids keep the log's order and the old ones in snapshots and logs stay valid.
 */
public final class MessageIds {
    /** At most this many enqueues in one batch entry. */
    public static final int MAX_BATCH = 1 << 10;
    private static final int SLOT_BITS = 10;
    private static final long BATCHED = 1L << 62;

    private MessageIds() {
    }

    /** The id of the message in {@code slot} of the batch at log {@code index}. */
    static long batched(long index, int slot) {
        if (slot < 0 || slot >= MAX_BATCH || index < 0 || index >= (1L << (62 - SLOT_BITS))) {
            throw new IllegalArgumentException("no message id for slot " + slot + " of entry " + index);
        }
        return BATCHED | (index << SLOT_BITS) | slot;
    }

    /** The log index of the entry that holds message {@code id}. */
    static long logIndex(long id) {
        return (id & BATCHED) == 0 ? id : (id & ~BATCHED) >>> SLOT_BITS;
    }

    /** The message's slot in its batch entry, or -1 when the entry is a single enqueue. */
    static int slot(long id) {
        return (id & BATCHED) == 0 ? -1 : (int) (id & (MAX_BATCH - 1));
    }
}
