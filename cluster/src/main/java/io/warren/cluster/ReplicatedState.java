package io.warren.cluster;

/**
 * What the cluster replicates, seen from the consensus side: opaque commands applied in log order.
 * The broker implements it; this module never learns what the bytes mean.
 *
 * <p>All three methods are called on the Raft apply thread, one at a time, so an implementation sees
 * a single writer: {@link #snapshot()} reflects exactly the commands applied before it.
 */
public interface ReplicatedState {
    /**
     * Applies one committed command, the log entry at {@code index}; the result goes back to whoever
     * submitted it. Must be deterministic. At start, the entries after the last snapshot are applied
     * again over what the node recovered on its own, so an implementation that recovers state of its
     * own must recognise a command older than what it already has (the index tells it).
     */
    byte[] apply(long index, byte[] command);

    /** The whole replicated state, as a compact form {@link #restore} can rebuild from. */
    byte[] snapshot();

    /**
     * Rebuilds the state from a snapshot. At start ({@code replace} false) it is applied over what
     * the node recovered on its own, which may be newer (the log after the snapshot is replayed next).
     * When the leader sent it to a node that lagged too far behind ({@code replace} true), the state
     * must become exactly the snapshot: what the node has beyond it was deleted meanwhile.
     * {@code index} is the last log entry the snapshot includes.
     */
    void restore(byte[] snapshot, long index, boolean replace);
}
