package io.warren.cluster;

/**
 * What the cluster replicates, seen from the consensus side: opaque commands applied in log order.
 * The broker implements it; this module never learns what the bytes mean.
 *
 * <p>All three methods are called on the Raft apply thread, one at a time, so an implementation sees
 * a single writer: {@link #snapshot()} reflects exactly the commands applied before it.
 */
public interface ReplicatedState {
    /** Applies one committed command; the result goes back to whoever submitted it. Must be deterministic. */
    byte[] apply(byte[] command);

    /** The whole replicated state, as a compact form {@link #restore} can rebuild from. */
    byte[] snapshot();

    /** Rebuilds the state from a snapshot (at start, or when a lagging node is sent one). */
    void restore(byte[] snapshot);
}
