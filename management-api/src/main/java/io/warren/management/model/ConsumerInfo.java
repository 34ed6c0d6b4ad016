package io.warren.management.model;

import java.util.Map;

/**
 * One basic.consume subscription; {@code activityStatus} as RabbitMQ shows it: "up", or with single
 * active consumer "single_active" / "waiting".
 */
public record ConsumerInfo(String vhost, String queue, String consumerTag, String connectionName, int channelNumber,
                           String user, String peerHost, int peerPort, boolean ackRequired, boolean exclusive,
                           int prefetchCount, boolean active, Map<String, Object> arguments, String activityStatus) {
    public ConsumerInfo(String vhost, String queue, String consumerTag, String connectionName, int channelNumber,
                        String user, String peerHost, int peerPort, boolean ackRequired, boolean exclusive,
                        int prefetchCount, boolean active, Map<String, Object> arguments) {
        this(vhost, queue, consumerTag, connectionName, channelNumber, user, peerHost, peerPort, ackRequired, exclusive,
                prefetchCount, active, arguments, active ? "up" : "waiting");
    }

    public String channelName() {
        return connectionName + " (" + channelNumber + ")";
    }
}
