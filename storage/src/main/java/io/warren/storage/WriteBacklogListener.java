package io.warren.storage;

/**
 * Told, on the executor it was registered with, when the bytes waiting for the writer pass
 * {@link StoreConfig#writeBacklogBytes()} ({@code behind} true) and when they are down to half of it.
 */
@FunctionalInterface
public interface WriteBacklogListener {
    void backlogChanged(boolean behind, long bytes);
}
