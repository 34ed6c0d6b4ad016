package io.warren.cluster.quorum;

/**
 * One member of a quorum queue's group as it reports itself (rabbitmq-queues quorum_status):
 * {@code raftState} is leader, follower, candidate or listener, or why the member did not answer
 * (nodedown: unreachable; noproc: the node has no replica); the numbers are -1 then (the snapshot
 * index too while the member has no snapshot).
 */
public record MemberStatus(String node, String raftState, long logIndex, long commitIndex, long snapshotIndex,
                           long term) {
    static MemberStatus unavailable(String node, String reason) {
        return new MemberStatus(node, reason, -1, -1, -1, -1);
    }
}
