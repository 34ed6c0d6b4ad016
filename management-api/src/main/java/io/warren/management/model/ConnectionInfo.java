package io.warren.management.model;

import java.util.Map;

/**
 * One client connection.
 *
 * @param name             RabbitMQ's name: {@code "peerHost:peerPort -> host:port"}
 * @param state            "starting" during the handshake, "running", "closing" or "closed"
 * @param heartbeat        negotiated heartbeat in seconds (RabbitMQ's {@code timeout})
 * @param connectedAt      epoch millis
 * @param clientProperties what the client sent in connection.start-ok (empty before that)
 */
public record ConnectionInfo(String name, String vhost, String user, String peerHost, int peerPort, String host,
                             int port, String state, int channels, int channelMax, int frameMax, int heartbeat,
                             long connectedAt, String authMechanism, Map<String, Object> clientProperties) {
}
