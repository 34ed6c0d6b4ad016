package io.warren.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds a {@link BrokerConfig} from, in rising precedence: defaults, a properties file
 * ({@code --config FILE}, or {@code warren.conf} in the working directory if present), environment
 * variables ({@code WARREN_AMQP_PORT} ...), and command-line flags ({@code --amqp-port 5672} or
 * {@code --amqp-port=5672}). One key space for all three: the flag name without dashes, e.g.
 * {@code amqp-port} = env {@code WARREN_AMQP_PORT} = file key {@code amqp-port}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static BrokerConfig load(String[] args, Map<String, String> env) {
        return load(args, env, Set.of());
    }

    /**
     * As {@link #load(String[], Map)}, also accepting the protocol plugins' keys (flags, {@code WARREN_*}
     * variables, file keys); their values land in {@code pluginOptions}.
     */
    public static BrokerConfig load(String[] args, Map<String, String> env, Set<String> pluginKeys) {
        return build(values(args, env, pluginKeys), pluginKeys);
    }

    /**
     * Every setting given, merged from file, environment and flags (flags win), keyed by flag name; what
     * {@link #build} and {@link LogSettings#from} read. Throws IllegalArgumentException with a one-line
     * message for an unknown flag or key, a missing value or an unreadable config file.
     */
    public static Map<String, String> values(String[] args, Map<String, String> env) {
        return values(args, env, Set.of());
    }

    /** As {@link #values(String[], Map)}, also accepting the protocol plugins' keys. */
    public static Map<String, String> values(String[] args, Map<String, String> env, Set<String> pluginKeys) {
        Map<String, String> cli = parseArgs(args, pluginKeys);
        Map<String, String> values = new LinkedHashMap<>();
        Path file = cli.containsKey("config") ? Path.of(cli.get("config"))
                : env.containsKey("WARREN_CONFIG") ? Path.of(env.get("WARREN_CONFIG")) : Path.of("warren.conf");
        if (Files.isRegularFile(file)) {
            values.putAll(readFile(file, pluginKeys));
        } else if (cli.containsKey("config") || env.containsKey("WARREN_CONFIG")) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        for (Settings.Setting s : Settings.ALL) {
            String envValue = env.get(s.env());
            if (envValue != null && !s.key().equals("config")) {
                values.put(s.key(), envValue);
            }
        }
        for (String key : pluginKeys) {
            String envValue = env.get("WARREN_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            if (envValue != null) {
                values.put(key, envValue);
            }
        }
        values.putAll(cli);
        values.remove("config");
        return values;
    }

    /**
     * A configuration from these settings (the same keys as the flags, e.g. {@code frame-max}) over
     * the defaults only: no file and no environment, for a broker embedded in another program.
     */
    public static BrokerConfig fromSettings(Map<String, String> settings) {
        return fromSettings(settings, Set.of());
    }

    /** As {@link #fromSettings(Map)}, also accepting the protocol plugins' keys (they land in {@code pluginOptions}). */
    public static BrokerConfig fromSettings(Map<String, String> settings, Set<String> pluginKeys) {
        for (String key : settings.keySet()) {
            // the process's own settings (config file, logging) mean nothing to an embedded broker
            if (!pluginKeys.contains(key) && (!Settings.known(key) || key.equals("config") || key.startsWith("log-"))) {
                throw new IllegalArgumentException("unknown setting '" + key + "'");
            }
        }
        return build(settings, pluginKeys);
    }

    static Map<String, String> parseArgs(String[] args) {
        return parseArgs(args, Set.of());
    }

    static Map<String, String> parseArgs(String[] args, Set<String> pluginKeys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (!Settings.known(key) && !pluginKeys.contains(key)) { // before the value: a misspelt flag is the problem to report
                throw new IllegalArgumentException("unknown option --" + key + " (see --help)");
            }
            if (value == null && i + 1 < args.length) {
                value = args[++i];
            } else if (value == null) {
                throw new IllegalArgumentException("missing value for --" + key);
            }
            out.put(key, value);
        }
        return out;
    }

    private static Map<String, String> readFile(Path file, Set<String> pluginKeys) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (!pluginKeys.contains(name) && (!Settings.known(name) || name.equals("config"))) {
                throw new IllegalArgumentException("unknown key '" + name + "' in " + file);
            }
            out.put(name, p.getProperty(name).trim());
        }
        return out;
    }

    /** The broker's configuration from {@link #values}; throws IllegalArgumentException for a bad value. */
    public static BrokerConfig build(Map<String, String> v) {
        return build(v, Set.of());
    }

    /** As {@link #build(Map)}; the values of {@code pluginKeys} become the config's {@code pluginOptions}. */
    public static BrokerConfig build(Map<String, String> v, Set<String> pluginKeys) {
        BrokerConfig d = BrokerConfig.defaults();
        Map<String, String> pluginOptions = new LinkedHashMap<>();
        for (String key : pluginKeys) {
            if (v.containsKey(key)) {
                pluginOptions.put(key, v.get(key));
            }
        }
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
                doubleValue(v, "memory-high-watermark", d.memoryHighWatermark()),
                longValue(v, "memory-high-watermark-bytes", d.memoryHighWatermarkBytes()),
                intValue(v, "max-connections", d.maxConnections()),
                longValue(v, "sync-interval-ms", d.syncIntervalMillis()),
                longValue(v, "body-memory-limit", d.bodyMemoryLimit()),
                positive(v, "handshake-timeout-ms", d.handshakeTimeoutMillis()),
                eventLoops(v, d.eventLoops()),
                cluster(v),
                Map.copyOf(pluginOptions));
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
            return new BrokerConfig.Cluster(name, null, null);
        }
        io.warren.cluster.ClusterPeers peers = io.warren.cluster.ClusterPeers.parse(v.get("cluster-peers"));
        String self = name != null ? name : NodeName.lookUp();
        peers.self(self);
        String secret = v.get("cluster-secret");
        if (secret != null && secret.isBlank()) {
            throw new IllegalArgumentException("--cluster-secret is empty");
        }
        return new BrokerConfig.Cluster(self, peers, secret);
    }

    private static Path path(Map<String, String> v, String key) {
        return v.containsKey(key) ? Path.of(v.get(key)) : null;
    }

    /** "a, b" → [a, b]; "" → [] (nobody is limited to localhost). */
    private static java.util.List<String> splitList(String s) {
        return java.util.Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** --event-loops: 1 to 1024 threads; absent: {@code dflt} (0, the broker's own choice). */
    private static int eventLoops(Map<String, String> v, int dflt) {
        if (!v.containsKey("event-loops")) {
            return dflt;
        }
        long n = positive(v, "event-loops", 1);
        if (n > 1024) {
            throw new IllegalArgumentException("--event-loops is at most 1024, got '" + v.get("event-loops") + "'");
        }
        return (int) n;
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

    private static long longValue(Map<String, String> v, String key, long dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, got '" + s + "'");
        }
    }

    private static double doubleValue(Map<String, String> v, String key, double dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, got '" + s + "'");
        }
    }

    private static int intValue(Map<String, String> v, String key, int dflt) {
        String s = v.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, got '" + s + "'");
        }
    }
}
