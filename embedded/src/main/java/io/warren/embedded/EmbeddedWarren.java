package io.warren.embedded;

import io.warren.broker.Broker;
import io.warren.broker.admin.DefinitionsImporter;
import io.warren.broker.auth.Permission;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.config.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Warren broker running inside this JVM, for tests: started on free ports over a temporary data
 * directory by default, and gone without a trace (threads, ports, files) once closed.
 *
 * <pre>{@code
 * try (EmbeddedWarren warren = EmbeddedWarren.builder().start()) {
 *     ConnectionFactory f = new ConnectionFactory();
 *     f.setUri(warren.amqpUri());
 *     try (Connection c = f.newConnection()) { ... }
 * }
 * }</pre>
 *
 * Brokers are independent of each other: several may run in one JVM at once. The JVM needs the
 * flags Chronicle Queue needs on JDK 17+ (see the README's Surefire {@code argLine}).
 */
public final class EmbeddedWarren implements AutoCloseable {
    private final Broker broker;
    private final BrokerConfig config;
    private final TempDirectory tempDir; // null: the data directory was given and is kept
    private boolean closed;

    private EmbeddedWarren(Broker broker, BrokerConfig config, TempDirectory tempDir) {
        this.broker = broker;
        this.config = config;
        this.tempDir = tempDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The AMQP port the broker listens on (the one bound, when a free port was asked for). */
    public int amqpPort() {
        return broker.amqpPort();
    }

    /** The management HTTP port, or -1 when the management API is off (the default). */
    public int httpPort() {
        return broker.httpPort();
    }

    /** The host clients connect to: the bind address, or 127.0.0.1 when bound to every interface. */
    public String host() {
        String bind = config.bind();
        return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    /**
     * {@code amqp://guest:guest@127.0.0.1:PORT} with the default user's credentials, for the default
     * vhost: what {@code ConnectionFactory.setUri} and Pika's {@code URLParameters} take.
     */
    public String amqpUri() {
        return uri(config.defaultUser(), config.defaultPassword(), "/");
    }

    /** The URI of a vhost, with the default user's credentials. */
    public String amqpUri(String vhost) {
        return uri(config.defaultUser(), config.defaultPassword(), vhost);
    }

    private String uri(String user, String password, String vhost) {
        String host = host().contains(":") ? "[" + host() + "]" : host();
        return "amqp://" + encode(user) + ":" + encode(password) + "@" + host + ":" + amqpPort()
                + (vhost.equals("/") ? "" : "/" + encode(vhost));
    }

    private static String encode(String s) {
        // URLEncoder writes a space as '+', which a URI's user-info and path would keep literally
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The broker's data directory (deleted on close when it was a temporary one). */
    public Path dataDir() {
        return config.dataDir();
    }

    /** The running broker itself, for what this class does not offer (its state, its vhosts). */
    public Broker broker() {
        return broker;
    }

    /**
     * Stops the broker as a shutdown would (clients get 320 CONNECTION_FORCED), waits for its threads
     * to end and its files to close, then deletes a temporary data directory. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            broker.close();
        } finally {
            if (tempDir != null) {
                tempDir.delete();
            }
        }
    }

    private record User(String name, String password, Set<String> tags) {
    }

    /** What the broker starts with; every setting has a test-friendly default. */
    public static final class Builder {
        private int amqpPort = 0;
        private int httpPort = -1;
        private String bind = "127.0.0.1";
        private Path dataDir;
        private Path definitions;
        private final List<User> users = new ArrayList<>();
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** The AMQP port; 0 (the default) takes a free one, see {@link EmbeddedWarren#amqpPort()}. */
        public Builder amqpPort(int port) {
            this.amqpPort = port;
            return this;
        }

        /** Turns the management API on at this port; 0 takes a free one. Off by default. */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** The listen address; 127.0.0.1 by default. */
        public Builder bind(String address) {
            this.bind = address;
            return this;
        }

        /**
         * Keeps the data in this directory (created if missing) and leaves it on close, e.g. to
         * restart a broker over the same data. By default a temporary directory is used and deleted.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** A RabbitMQ definitions file (users, vhosts, permissions, exchanges, queues, bindings) to import. */
        public Builder definitions(Path file) {
            this.definitions = file;
            return this;
        }

        /** Adds a user with these tags and all rights on the default vhost {@code /}. */
        public Builder user(String name, String password, String... tags) {
            users.add(new User(name, password, Set.of(tags)));
            return this;
        }

        /**
         * Any broker setting by its flag name without dashes, e.g. {@code setting("frame-max", "8192")}
         * or {@code setting("default-user", "app")}; see the README's settings table. Files and
         * environment variables ({@code warren.conf}, {@code WARREN_*}) are never read.
         */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** Starts the broker; it listens once this returns. On failure nothing is left running. */
        public EmbeddedWarren start() throws IOException {
            TempDirectory temp = dataDir == null ? TempDirectory.create() : null;
            Map<String, String> values = new LinkedHashMap<>();
            values.put("bind", bind);
            values.put("amqp-port", Integer.toString(amqpPort));
            values.put("http-port", Integer.toString(httpPort));
            values.put("data-dir", (temp != null ? temp.path() : dataDir).toString());
            values.putAll(settings);
            Broker broker = null;
            try {
                // protocol plugins' listeners (MQTT) stay off unless a port is given: an embedded broker opens
                // only the ports it reports, and two of them in one JVM must not fight over 1883
                java.util.Set<String> pluginKeys = new io.warren.broker.plugin.Plugins().optionKeys();
                for (String k : pluginKeys) {
                    if (k.endsWith("-port")) {
                        values.putIfAbsent(k, "0");
                    }
                }
                BrokerConfig config = ConfigLoader.fromSettings(values, pluginKeys);
                Files.createDirectories(config.dataDir());
                broker = new Broker(config);
                broker.recover();
                if (config.definitions() != null) {
                    DefinitionsImporter.importFile(broker.state(), config.definitions());
                }
                if (definitions != null) {
                    DefinitionsImporter.importFile(broker.state(), definitions);
                }
                for (User u : users) {
                    broker.state().users().addOrUpdate(u.name(), u.password(), u.tags());
                    broker.state().permissions().set(u.name(), "/", new Permission(".*", ".*", ".*"));
                }
                try {
                    broker.start();
                } catch (IOException | io.warren.broker.StartupException e) { // a taken port: say which of ours
                    throw new IOException("cannot start the broker on " + config.bind() + " (amqp port "
                            + config.amqpPort() + ", http port " + (httpPort < 0 ? "off" : httpPort) + "): "
                            + e.getMessage(), e);
                }
                return new EmbeddedWarren(broker, config, temp);
            } catch (IOException | RuntimeException | Error e) {
                cleanUp(broker, temp, e);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cleanUp(broker, temp, e);
                throw new IOException("interrupted while starting the broker", e);
            } catch (Exception e) { // an SSLException from the TLS listener's certificates
                cleanUp(broker, temp, e);
                throw new IOException("cannot start the broker: " + e.getMessage(), e);
            }
        }

        private static void cleanUp(Broker broker, TempDirectory temp, Throwable cause) {
            try {
                if (broker != null) {
                    broker.close();
                }
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            } finally {
                if (temp != null) {
                    try {
                        temp.delete();
                    } catch (UncheckedIOException e) {
                        cause.addSuppressed(e);
                    }
                }
            }
        }
    }
}
