package io.warren.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a {@link BrokerConfig} from, in rising precedence: defaults, a properties file
 * ({@code --config FILE}, or {@code warren.conf} in the working directory if present), environment
 * variables ({@code WARREN_AMQP_PORT} ...), and command-line flags ({@code --amqp-port 5672} or
 * {@code --amqp-port=5672}). One key space for all three: the flag name without dashes, e.g.
 * {@code amqp-port} = env {@code WARREN_AMQP_PORT} = file key {@code amqp-port}.
 */
public final class ConfigLoader {
    static final String[] KEYS = {"bind", "amqp-port", "http-port", "data-dir", "frame-max", "channel-max",
            "heartbeat", "max-message-size", "default-user", "default-pass", "loopback-users", "definitions",
            "tls-port", "tls-cert", "tls-key", "tls-ca-cert", "memory-high-watermark", "memory-high-watermark-bytes",
            "max-connections", "sync-interval-ms", "body-memory-limit", "handshake-timeout-ms", "node-name",
            "cluster-peers"};

    private ConfigLoader() {
    }

    public static BrokerConfig load(String[] args, Map<String, String> env) {
        return load(args, env, java.util.Set.of());
    }

    /** As {@link #load(String[], Map)}, also accepting the plugins' keys (they land in {@code pluginOptions}). */
    public static BrokerConfig load(String[] args, Map<String, String> env, java.util.Set<String> pluginKeys) {
        Map<String, String> cli = parseArgs(args, pluginKeys);
        Map<String, String> values = new LinkedHashMap<>();
        Path file = cli.containsKey("config") ? Path.of(cli.get("config"))
                : env.containsKey("WARREN_CONFIG") ? Path.of(env.get("WARREN_CONFIG")) : Path.of("warren.conf");
        if (Files.isRegularFile(file)) {
            values.putAll(readFile(file, pluginKeys));
        } else if (cli.containsKey("config") || env.containsKey("WARREN_CONFIG")) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        for (String key : allKeys(pluginKeys)) {
            String envValue = env.get("WARREN_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (envValue != null) {
                values.put(key, envValue);
            }
        }
        values.putAll(cli);
        Map<String, String> plugin = new LinkedHashMap<>();
        pluginKeys.forEach(k -> {
            if (values.containsKey(k)) {
                plugin.put(k, values.get(k));
            }
        });
        return build(values, Map.copyOf(plugin));
    }

    private static java.util.List<String> allKeys(java.util.Set<String> pluginKeys) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.Arrays.asList(KEYS));
        all.addAll(pluginKeys);
        return all;
    }

    /**
     * A configuration from these settings (the same keys as the flags, e.g. {@code frame-max}) over
     * the defaults only: no file and no environment, for a broker embedded in another program.
     */
    public static BrokerConfig fromSettings(Map<String, String> settings) {
        return fromSettings(settings, java.util.Set.of());
    }

    /** As {@link #fromSettings(Map)}, also accepting the plugins' keys (they land in {@code pluginOptions}). */
    public static BrokerConfig fromSettings(Map<String, String> settings, java.util.Set<String> pluginKeys) {
        Map<String, String> plugin = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (pluginKeys.contains(e.getKey())) {
                plugin.put(e.getKey(), e.getValue());
            } else if (!java.util.Arrays.asList(KEYS).contains(e.getKey())) {
                throw new IllegalArgumentException("unknown setting '" + e.getKey() + "'");
            }
        }
        return build(settings, Map.copyOf(plugin));
    }

    static Map<String, String> parseArgs(String[] args) {
        return parseArgs(args, java.util.Set.of());
    }

    static Map<String, String> parseArgs(String[] args, java.util.Set<String> pluginKeys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("missing value for --" + key);
            }
            if (!key.equals("config") && !allKeys(pluginKeys).contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
            out.put(key, value);
        }
        return out;
    }

    private static Map<String, String> readFile(Path file, java.util.Set<String> pluginKeys) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (!allKeys(pluginKeys).contains(name)) {
                throw new IllegalArgumentException("unknown key '" + name + "' in " + file);
            }
            out.put(name, p.getProperty(name).trim());
        }
        return out;
    }

    private static BrokerConfig build(Map<String, String> v, Map<String, String> pluginOptions) {
        BrokerConfig d = BrokerConfig.defaults();
        return new BrokerConfig(
                v.getOrDefault("bind", d.bind()),
                intValue(v, "amqp-port", d.amqpPort()),
                intValue(v, "http-port", d.httpPort()),
                v.containsKey("data-dir") ? Path.of(v.get("data-dir")) : d.dataDir(),
                intValue(v, "frame-max", d.frameMax()),
                intValue(v, "channel-max", d.channelMax()),
                intValue(v, "heartbeat", d.heartbeatSeconds()),
                maxMessageSize(v, d.maxMessageSize()),
                v.getOrDefault("default-user", d.defaultUser()),
                v.getOrDefault("default-pass", d.defaultPassword()),
                v.containsKey("loopback-users") ? splitList(v.get("loopback-users")) : d.loopbackUsers(),
                v.containsKey("definitions") ? Path.of(v.get("definitions")) : null,
                new BrokerConfig.Tls(intValue(v, "tls-port", d.tls().port()), path(v, "tls-cert"), path(v, "tls-key"),
                        path(v, "tls-ca-cert")),
                v.containsKey("memory-high-watermark") ? Double.parseDouble(v.get("memory-high-watermark"))
                        : d.memoryHighWatermark(),
                v.containsKey("memory-high-watermark-bytes") ? Long.parseLong(v.get("memory-high-watermark-bytes"))
                        : d.memoryHighWatermarkBytes(),
                intValue(v, "max-connections", d.maxConnections()),
                v.containsKey("sync-interval-ms") ? Long.parseLong(v.get("sync-interval-ms")) : d.syncIntervalMillis(),
                v.containsKey("body-memory-limit") ? Long.parseLong(v.get("body-memory-limit")) : d.bodyMemoryLimit(),
                positive(v, "handshake-timeout-ms", d.handshakeTimeoutMillis()),
                cluster(v),
                pluginOptions);
    }

    /** As RabbitMQ's schema: more than 0 and at most 512 MiB, since bodies are held as one array. */
    private static long maxMessageSize(Map<String, String> v, long dflt) {
        String s = v.get("max-message-size");
        if (s == null) {
            return dflt;
        }
        long size;
        try {
            size = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size <= 0 || size > BrokerConfig.MAX_MESSAGE_SIZE_CEILING) {
            throw new IllegalArgumentException("--max-message-size must be between 1 and "
                    + BrokerConfig.MAX_MESSAGE_SIZE_CEILING + " bytes (512 MiB), got '" + s + "'");
        }
        return size;
    }

    /** --node-name and --cluster-peers; this node must be one of the peers (checked here, before anything starts). */
    private static BrokerConfig.Cluster cluster(Map<String, String> v) {
        String name = v.get("node-name");
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("--node-name is empty");
        }
        if (!v.containsKey("cluster-peers")) {
            return new BrokerConfig.Cluster(name, null);
        }
        io.warren.cluster.ClusterPeers peers = io.warren.cluster.ClusterPeers.parse(v.get("cluster-peers"));
        String self = name != null ? name : NodeName.lookUp();
        peers.self(self);
        return new BrokerConfig.Cluster(self, peers);
    }

    private static Path path(Map<String, String> v, String key) {
        return v.containsKey(key) ? Path.of(v.get(key)) : null;
    }

    /** "a, b" → [a, b]; "" → [] (nobody is limited to localhost). */
    private static java.util.List<String> splitList(String s) {
        return java.util.Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** A duration that must be above zero: a timeout of 0 would close every socket before its handshake. */
    private static long positive(Map<String, String> v, String key, long dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(s);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + " needs a number above 0, got '" + s + "'");
    }

    private static int intValue(Map<String, String> v, String key, int dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, got '" + s + "'");
        }
    }
}
