package io.warren.storage;

/**
 * Told once, on the caller's executor, what became of a {@link Write}.
 */
@FunctionalInterface
public interface WriteCallback {

    /**
     * @param location for a {@link Write.Publish}: where the message lives in the journal, to pass to
     *                 {@link MessageStore#read}; {@code -1} for other writes or on failure
     * @param failure  {@code null} when the write is durable under the store's {@link SyncPolicy};
     *                 otherwise why it is not (for example {@link DiskFullException}). A failed publish
     *                 may or may not be recovered after a restart, so the broker nacks it.
     */
    void done(long location, Throwable failure);
}
