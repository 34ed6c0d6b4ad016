package io.warren.broker.model;

import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Reads a stored message body back from the message store (implemented by the persistence
 * layer): for persistent messages whose body was not kept in memory.
 */
public interface BodyReader {
    /** Calls {@code done} on {@code executor} with the body, or with a failure. */
    void read(long location, Executor executor, BiConsumer<byte[], Throwable> done);
}
