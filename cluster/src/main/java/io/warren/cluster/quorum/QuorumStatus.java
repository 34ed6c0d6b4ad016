package io.warren.cluster.quorum;

import java.util.List;

/**
 * A quorum queue as one member sees it: its counts, the group's leader (null during an election),
 * members, and the members known to answer.
 */
public record QuorumStatus(long ready, long readyBytes, long unacked, int consumers, String leader, List<String> members,
                           List<String> online) {
}
