package io.warren.management.model;

/**
 * One member of a quorum queue's Raft group, as {@code rabbitmq-queues quorum_status} lists it.
 *
 * @param node          the member's node
 * @param raftState     leader, follower, candidate; or why it did not answer (nodedown, noproc)
 * @param logIndex      its last log entry (-1: unknown)
 * @param commitIndex   the last entry it knows committed
 * @param snapshotIndex the last entry its latest snapshot covers (-1: none yet)
 * @param term          its current Raft term
 */
public record QuorumMemberInfo(String node, String raftState, long logIndex, long commitIndex, long snapshotIndex,
                               long term) {
}
