package io.warren.storage;

/** Told once, on the caller's executor, the outcome of {@link MessageStore#read}. */
@FunctionalInterface
public interface ReadCallback {
    /** Exactly one of {@code message} and {@code failure} is non-null. */
    void done(StoredMessage message, Throwable failure);
}
