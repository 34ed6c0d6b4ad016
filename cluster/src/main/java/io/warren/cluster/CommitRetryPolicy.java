package io.warren.cluster;

import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

import java.util.concurrent.TimeUnit;

/**
 * How Warren's Raft clients retry a request: every 250 ms until the commit timeout has passed since the
 * request was made, whatever the number of attempts.
 *
 * <p>Why not a number of attempts: Ratis' client retries at once, without the sleep, when a member
 * answers "not the leader" and names one. While a killed leader's followers elect a new one they name
 * the old leader or each other, so a budget of 20 attempts "× 250 ms" was spent in about 2.7 s and a
 * change that the new leader would have committed a moment later failed with 541 (seen in ClusterTest
 * after a kill -9). A budget in time is what the commit timeout promises the client.
 */
public final class CommitRetryPolicy {
    static final TimeDuration SLEEP = TimeDuration.valueOf(250, TimeUnit.MILLISECONDS);

    private CommitRetryPolicy() {
    }

    /** Retries each kind of request every 250 ms, and no more once {@code commitTimeoutMillis} have passed. */
    public static RetryPolicy within(long commitTimeoutMillis) {
        TimeDuration budget = TimeDuration.valueOf(commitTimeoutMillis, TimeUnit.MILLISECONDS);
        RequestTypeDependentRetryPolicy.Builder policy = RequestTypeDependentRetryPolicy.newBuilder();
        for (TypeCase type : TypeCase.values()) {
            if (type != TypeCase.TYPE_NOT_SET) {
                policy.setRetryPolicy(type, RetryPolicies.retryForeverWithSleep(SLEEP));
                policy.setTimeout(type, budget);
            }
        }
        return policy.build();
    }
}
