package io.warren.management.model;

/**
 * Broker-wide counts of objects opened and closed, and of AMQP logins, since start (rabbitmq_prometheus'
 * connection_churn_metrics and auth_attempt_metrics). Queue counts are kept per vhost, so a deleted
 * vhost's counts leave the sums.
 */
public record ChurnCounters(long connectionsOpened, long connectionsClosed, long channelsOpened, long channelsClosed,
                            long queuesDeclared, long queuesCreated, long queuesDeleted, long authSucceeded,
                            long authFailed) {
    public static final ChurnCounters ZERO = new ChurnCounters(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
