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
 * @param protocol         as RabbitMQ names it: {@code "AMQP 0-9-1"}, or a plugin's (e.g. {@code "MQTT 3.1.1"})
 * @param ssl              whether it came over TLS
 */
public record ConnectionInfo(String name, String vhost, String user, String peerHost, int peerPort, String host,
                             int port, String state, int channels, int channelMax, int frameMax, int heartbeat,
                             long connectedAt, String authMechanism, Map<String, Object> clientProperties,
                             String protocol, boolean ssl) {
    public static final String AMQP = "AMQP 0-9-1";

    /** An AMQP 0-9-1 connection. */
    public ConnectionInfo(String name, String vhost, String user, String peerHost, int peerPort, String host,
                          int port, String state, int channels, int channelMax, int frameMax, int heartbeat,
                          long connectedAt, String authMechanism, Map<String, Object> clientProperties) {
        this(name, vhost, user, peerHost, peerPort, host, port, state, channels, channelMax, frameMax, heartbeat,
                connectedAt, authMechanism, clientProperties, AMQP, false);
    }
}
