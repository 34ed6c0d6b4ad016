package io.warren.management.model;

/**
 * One open channel.
 *
 * @param prefetchCount       basic.qos global=false (applies to consumers created afterwards)
 * @param globalPrefetchCount basic.qos global=true (shared by the channel)
 */
public record ChannelInfo(String connectionName, int number, String vhost, String user, String peerHost,
                          int peerPort, int consumerCount, int messagesUnacknowledged, int prefetchCount,
                          int globalPrefetchCount, boolean confirm, String state) {
    /** RabbitMQ's channel name: the connection name and the channel number in brackets. */
    public String name() {
        return connectionName + " (" + number + ")";
    }
}
