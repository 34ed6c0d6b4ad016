package io.warren.storage;

/** A message read back from the journal. */
public record StoredMessage(long messageId, byte[] meta, byte[] body) {
}
