package io.warren.broker.config;

import java.nio.file.Path;

/**
 * Everything the operator can set. Defaults match RabbitMQ's (frame_max 131072, channel_max 2047,
 * heartbeat 60 s, max message size 128 MiB, guest may log in from localhost only). {@code definitions}
 * is a RabbitMQ definitions file imported at start (null: none). {@code handshakeTimeoutMillis}: a socket
 * that has not completed connection.open this long after it connected is closed (RabbitMQ: 10 s).
 * {@code eventLoops}: the threads serving client connections (0: the default, see {@code Broker}).
 * {@code pluginOptions}: the settings of protocol plugins (e.g. {@code mqtt-port}), passed to them as given. See {@link ConfigLoader} for where values come from.
 */
public record BrokerConfig(
        String bind,
        int amqpPort,
        int httpPort,
        Path dataDir,
        int frameMax,
        int channelMax,
        int heartbeatSeconds,
        long maxMessageSize,
        String defaultUser,
        String defaultPassword,
        java.util.List<String> loopbackUsers,
        Path definitions,
        Tls tls,
        double memoryHighWatermark,
        long memoryHighWatermarkBytes,
        int maxConnections,
        long syncIntervalMillis,
        long bodyMemoryLimit,
        long handshakeTimeoutMillis,
        int eventLoops,
        Cluster cluster,
        java.util.Map<String, String> pluginOptions) {

    /**
     * This node's name ({@code --node-name}; null: {@code warren@<hostname>}) and the cluster it is a
     * member of ({@code --cluster-peers}; null: a standalone broker, with no cluster code running).
     * {@code secret}: the shared secret node-to-node links authenticate with ({@code --cluster-secret};
     * null: read from the data directory's {@code cluster-secret} file when the node starts).
     */
    public record Cluster(String nodeName, io.warren.cluster.ClusterPeers peers, String secret) {
        public boolean enabled() {
            return peers != null;
        }
    }

    /**
     * The amqps listener: on only when a PEM certificate chain and PKCS#8 key are configured;
     * {@code caCert} set means client certificates are verified against it (required).
     */
    public record Tls(int port, Path cert, Path key, Path caCert) {
        public boolean enabled() {
            return cert != null && key != null;
        }
    }

    /** RabbitMQ's hard ceiling for max_message_size (512 MiB); a larger setting is refused at start. */
    public static final long MAX_MESSAGE_SIZE_CEILING = 512L * 1024 * 1024;

    public static final int DEFAULT_AMQP_PORT = 5672;
    public static final int DEFAULT_HTTP_PORT = 15672;

    public static BrokerConfig defaults() {
        return new BrokerConfig("0.0.0.0", DEFAULT_AMQP_PORT, DEFAULT_HTTP_PORT, Path.of("data"),
                131072, 2047, 60, 128L * 1024 * 1024, "guest", "guest", java.util.List.of("guest"), null,
                new Tls(5671, null, null, null), 0.4, 0, 0, 0, -1, 10_000, 0, new Cluster(null, null, null),
                java.util.Map.of());
    }
}
