package io.warren.management.model;

import java.util.Map;

/** One basic.consume subscription. */
public record ConsumerInfo(String vhost, String queue, String consumerTag, String connectionName, int channelNumber,
                           String user, String peerHost, int peerPort, boolean ackRequired, boolean exclusive,
                           int prefetchCount, boolean active, Map<String, Object> arguments) {
    public String channelName() {
        return connectionName + " (" + channelNumber + ")";
    }
}
