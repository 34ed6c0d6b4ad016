package io.warren.broker.model;

import java.util.List;

/**
 * Lets model code (dead-lettering) store a persistent message for the durable queues it is about
 * to enter, before it enters them — the same rule publishing follows. Implemented by the
 * persistence layer; {@link #NONE} until the data directory is open.
 */
public interface MessageStoreHook {
    MessageStoreHook NONE = (msg, targets) -> false;

    /** Stores {@code msg} for the durable queues among {@code targets}; false if nothing was stored. */
    boolean store(Message msg, List<AmqpQueue> targets);
}
