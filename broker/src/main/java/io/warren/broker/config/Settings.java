package io.warren.broker.config;

import java.util.List;
import java.util.Locale;

/**
 * Every setting the broker reads, in the order {@code --help} lists them: its flag name (also the config file key),
 * the value it takes, its default as the operator sees it and what it does. {@link ConfigLoader} accepts exactly
 * these keys, so the help text cannot fall behind the parser.
 */
public final class Settings {

    /** One setting; {@code env()} is its environment variable. */
    public record Setting(String key, String value, String dflt, String meaning) {
        public String env() {
            return "WARREN_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
        }

        public String flag() {
            return "--" + key + " " + value;
        }
    }

    public static final List<Setting> ALL = List.of(
            new Setting("config", "FILE", "./warren.conf if present", "properties file with any of these settings (key = flag name)"),
            new Setting("bind", "ADDR", "0.0.0.0", "listen address of the AMQP, amqps and HTTP listeners"),
            new Setting("amqp-port", "N", "5672", "AMQP listener port"),
            new Setting("http-port", "N", "15672", "management HTTP port (/api, /metrics, dashboard); -1: off"),
            new Setting("data-dir", "DIR", "./data", "where durable data lives"),
            new Setting("frame-max", "N", "131072", "largest frame the broker accepts and offers"),
            new Setting("channel-max", "N", "2047", "channels per connection"),
            new Setting("heartbeat", "S", "60", "heartbeat interval the broker proposes, seconds"),
            new Setting("max-message-size", "N", "134217728", "largest message body, bytes"),
            new Setting("default-user", "U", "guest", "the built-in user (administrator, all rights on /)"),
            new Setting("default-pass", "P", "guest", "password of the built-in user"),
            new Setting("loopback-users", "LIST", "guest", "users who may log in only from localhost (empty: none)"),
            new Setting("definitions", "FILE", "none", "RabbitMQ definitions JSON imported at start"),
            new Setting("tls-port", "N", "5671", "amqps listener, on when tls-cert and tls-key are set"),
            new Setting("tls-cert", "FILE", "none", "PEM certificate chain of the server"),
            new Setting("tls-key", "FILE", "none", "PKCS#8 PEM private key of the server"),
            new Setting("tls-ca-cert", "FILE", "none", "PEM CA; when set, clients must present a certificate it signed"),
            new Setting("memory-high-watermark", "F", "0.4", "memory alarm above this fraction of heap + direct memory"),
            new Setting("memory-high-watermark-bytes", "N", "0 (use the fraction)", "memory alarm as absolute bytes"),
            new Setting("max-connections", "N", "0 (none)", "node-wide limit on open connections"),
            new Setting("sync-interval-ms", "N", "0 (sync every batch)", "disk sync period; 0: confirms wait for fdatasync"),
            new Setting("body-memory-limit", "N", "off", "above N bytes of heap, durable bodies leave the heap at once"),
            new Setting("handshake-timeout-ms", "N", "10000", "close sockets that have not completed connection.open"),
            new Setting("event-loops", "N", "half the cores, at least 1", "threads serving client connections (AMQP, MQTT)"),
            new Setting("node-name", "NAME", "warren@<hostname>", "this node's name (/api/nodes, cluster_status, cluster member)"),
            new Setting("cluster-peers", "LIST", "none (standalone)", "NAME=HOST:PORT,... every cluster member, this node included"),
            new Setting("cluster-secret", "S", "DATA_DIR/cluster-secret or ~/.warren-cluster-secret", "shared secret of the node-to-node links (same on every node; the home file is created if missing)"),
            new Setting("log-level", "LEVEL", "INFO", "TRACE, DEBUG, INFO, WARN or ERROR"),
            new Setting("log-format", "FORMAT", "text", "text (ISO-8601 timestamps) or json (one object per line)"),
            new Setting("log-file", "FILE", "none (stdout)", "log to FILE, rotated daily and at 100 MB, 7 days kept"));

    private Settings() {
    }

    static boolean known(String key) {
        return ALL.stream().anyMatch(s -> s.key().equals(key));
    }

    /** The {@code --help} text: usage, then one block per setting with its environment variable and default. */
    /**
     * The protocol plugins' settings (MQTT ...), which the core does not know: flag, environment variable and
     * default of each (their meanings are in README, MQTT section).
     */
    public static String pluginHelp(java.util.Map<String, String> defaults) {
        if (defaults.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("\nProtocol plugin settings (see README, MQTT):\n");
        for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(defaults).entrySet()) {
            b.append(String.format(Locale.ROOT, "  %-36s env %s, default %s%n", "--" + e.getKey() + " V",
                    "WARREN_" + e.getKey().toUpperCase(Locale.ROOT).replace('-', '_'), e.getValue()));
        }
        return b.toString();
    }

    public static String help() {
        StringBuilder b = new StringBuilder();
        b.append("usage: warren [--SETTING VALUE | --SETTING=VALUE]... | --help | --version\n\n");
        b.append("Each setting is a flag, an environment variable or a line SETTING=VALUE in the config file;\n");
        b.append("flags win over the environment, which wins over the file. JVM flags go in JAVA_OPTS.\n\n");
        for (Setting s : ALL) {
            b.append(String.format(Locale.ROOT, "  %-36s %s%n", s.flag(), s.meaning()));
            b.append(String.format(Locale.ROOT, "  %-36s env %s, default %s%n", "", s.env(), s.dflt()));
        }
        return b.toString();
    }
}
