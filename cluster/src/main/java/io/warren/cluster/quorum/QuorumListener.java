package io.warren.cluster.quorum;

import java.util.List;

/**
 * Told, on the Raft apply thread, what each applied command asks of this node. Must not block:
 * a delivery is handed to the consumer's own thread.
 */
public interface QuorumListener {
    /**
     * @param index   the applied entry
     * @param leader  whether this node leads the group now (only the leader dead-letters)
     * @param effects what the command caused (deliveries, dead-letterings), possibly empty
     */
    void applied(long index, boolean leader, List<QueueEffect> effects);

    QuorumListener NONE = (index, leader, effects) -> {
    };
}
