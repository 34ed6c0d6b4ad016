package io.warren.broker.config;

/** The default node name, RabbitMQ's shape: {@code warren@<hostname>}. */
public final class NodeName {
    private NodeName() {
    }

    /** Looked up once at start: a host-name lookup can take seconds where DNS is slow, never on a loop. */
    public static String lookUp() {
        try {
            return "warren@" + java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "warren@localhost";
        }
    }
}
