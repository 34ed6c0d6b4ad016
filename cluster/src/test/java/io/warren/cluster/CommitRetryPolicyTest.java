package io.warren.cluster;

import org.apache.ratis.client.retry.ClientRetryEvent;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.Timestamp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommitRetryPolicyTest {
    private static final RaftGroupId GROUP = RaftGroupId.randomId();
    private static final RaftPeer N1 = RaftPeer.newBuilder().setId("n1").build();
    private static final RaftPeer N3 = RaftPeer.newBuilder().setId("n3").build();

    /** A member's "not the leader, try n3" answer to attempt {@code attempt} of a request made at {@code made}. */
    private static ClientRetryEvent notLeader(int attempt, Timestamp made, RaftClientRequest.Type type) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(ClientId.randomId()).setServerId(N1.getId()).setGroupId(GROUP).setCallId(attempt)
                .setType(type).build();
        NotLeaderException cause = new NotLeaderException(RaftGroupMemberId.valueOf(N1.getId(), GROUP), N3, List.of(N1, N3));
        return new ClientRetryEvent(attempt, request, attempt, cause, made);
    }

    @Test
    void keepsRetryingAnElectionThatAnswersFastUntilTheCommitTimeoutNotForACountOfAttempts() {
        RetryPolicy policy = CommitRetryPolicy.within(5_000);
        // Ratis retries "not the leader, try X" at once, without a sleep: 100 such answers come within
        // moments during an election, and the request must still be retried
        RetryPolicy.Action action = policy.handleAttemptFailure(
                notLeader(100, Timestamp.currentTime(), RaftClientRequest.writeRequestType()));
        assertTrue(action.shouldRetry());
        assertEquals(250, action.getSleepTime().toLong(java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    @Test
    void stopsOnceTheCommitTimeoutHasPassedSinceTheRequestWasMade() {
        RetryPolicy policy = CommitRetryPolicy.within(5_000);
        Timestamp madeLongAgo = Timestamp.currentTime().addTimeMs(-5_001);
        assertFalse(policy.handleAttemptFailure(notLeader(2, madeLongAgo, RaftClientRequest.writeRequestType())).shouldRetry());
        assertFalse(policy.handleAttemptFailure(notLeader(2, madeLongAgo, RaftClientRequest.readRequestType())).shouldRetry());
        assertTrue(policy.handleAttemptFailure(
                notLeader(2, Timestamp.currentTime().addTimeMs(-4_000), RaftClientRequest.readRequestType())).shouldRetry());
    }
}
