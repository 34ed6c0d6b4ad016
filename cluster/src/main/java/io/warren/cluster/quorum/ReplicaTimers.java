package io.warren.cluster.quorum;

/**
 * What this node's replica of a quorum queue says about time and consumers: whether it leads the
 * group, the leader time after which the head message has expired (or a moving consumer's kept
 * place is given up, see {@link QueueConsumers}) and from which the queue has expired unused
 * ({@link #NEVER} for neither), and the single active consumer's key (or null). The
 * leader's node submits a {@link QueueCommand.Tick} once its clock passes one of those times.
 */
public record ReplicaTimers(boolean leader, long nextExpiry, long expiresAt, String singleActiveConsumer) {
    public static final long NEVER = QueueState.NEVER;
    public static final ReplicaTimers NONE = new ReplicaTimers(false, NEVER, NEVER, null);

    /** The earliest time a tick has something to do. */
    public long due() {
        return Math.min(nextExpiry, expiresAt);
    }
}
