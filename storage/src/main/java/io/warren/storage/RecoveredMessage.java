package io.warren.storage;

/**
 * One live message of one queue after a restart.
 *
 * @param messageId   the id the broker gave it when it published
 * @param location    where it lives in the journal; pass to {@link MessageStore#read} for meta and body
 * @param meta        the opaque bytes the broker stored with it
 * @param bodySize    length of the body in bytes (the body itself stays on disk)
 * @param redelivered it was handed to a consumer of this queue before the restart and never settled
 */
public record RecoveredMessage(long messageId, long location, byte[] meta, long bodySize, boolean redelivered) {
}
