package io.warren.broker;

import io.warren.broker.config.BrokerConfig;
import io.warren.broker.config.ConfigLoader;
import io.warren.broker.config.LogSettings;
import io.warren.broker.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Entry point: {@code warren [--SETTING VALUE]... | --help | --version}. A problem the operator can fix (a bad
 * flag, a port in use, an unusable data directory) is one line and a non-zero exit: 2 for bad settings, 1 when
 * the broker cannot start.
 */
public final class Main {
    static final int EXIT_USAGE = 2;
    static final int EXIT_CANNOT_START = 1;

    private Main() {
    }

    /** The common ForkJoinPool's parallelism property: read once, when the pool is first used. */
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) throws Exception {
        // On a machine with 1 or 2 cores the JDK gives CompletableFuture's async methods a new thread per task
        // instead of the common pool (its parallelism is cores - 1 <= 1). Ratis calls them without an executor
        // for every appendEntries a follower takes: profiled, a follower started a thread per Raft round. Before
        // anything uses the pool, and unless the operator set it (-D... in JAVA_OPTS wins):
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM,
                    Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
        List<String> list = List.of(args);
        // the help and version texts are the command's output, not log lines: stdout, as any CLI prints them
        PrintStream out = System.out;
        io.warren.broker.plugin.Plugins plugins = new io.warren.broker.plugin.Plugins();
        java.util.Set<String> pluginKeys = plugins.optionKeys();
        if (list.contains("--help") || list.contains("-h")) {
            out.print(Settings.help());
            out.print(Settings.pluginHelp(plugins.optionDefaults()));
            return;
        }
        if (list.contains("--version")) {
            out.println("Warren " + Version.get());
            return;
        }
        BrokerConfig config;
        LogSettings logs;
        try {
            Map<String, String> values = ConfigLoader.values(args, System.getenv(), pluginKeys);
            config = ConfigLoader.build(values, pluginKeys);
            plugins.validate(config.pluginOptions());
            logs = LogSettings.from(values);
        } catch (IllegalArgumentException e) { // logging is not set up yet: the one line goes to stderr
            System.err.println("warren: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        LogSetup.apply(logs);
        Logger log = LoggerFactory.getLogger(Main.class);
        Broker broker = null;
        try {
            StartupException.checkFree(config.bind(), config.httpPort(), "http-port");
            if (config.tls().enabled()) {
                StartupException.checkFree(config.bind(), config.tls().port(), "tls-port");
            }
            StartupException.checkFree(config.bind(), config.amqpPort(), "amqp-port");
            DataDirectory.prepare(config.dataDir());
            broker = new Broker(config);
            recover(broker, config);
            broker.start();
        } catch (StartupException e) {
            log.error("{}", e.getMessage());
            if (logs.file() != null) {
                System.err.println("warren: " + e.getMessage()); // also where whoever started us looks
            }
            if (broker != null) {
                broker.close();
            }
            System.exit(EXIT_CANNOT_START);
            return;
        }
        Broker running = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "warren-shutdown"));
        log.info("Warren {} started: amqp {}:{}, amqps port {}, http port {}, {}, data dir {}{}", Version.get(),
                config.bind(), running.amqpPort(), running.tlsPort() < 0 ? "off" : running.tlsPort(),
                running.httpPort() < 0 ? "off" : running.httpPort(), running.pluginsDescription(),
                config.dataDir().toAbsolutePath(),
                config.cluster().enabled() ? ", cluster node " + config.cluster().nodeName() : "");
        Thread.currentThread().join(); // the event loops do the work; exit comes via the shutdown hook
    }

    private static void recover(Broker broker, BrokerConfig config) throws StartupException {
        try {
            broker.recover();
        } catch (IOException | RuntimeException e) {
            // the data directory was checked already: what is left is the journal's own word (it names the file)
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
        if (config.definitions() != null) {
            try {
                if (broker.state().cluster() != null) { // through the log, once a majority is up: homes agree
                    broker.state().cluster().importAtStart(
                            io.warren.broker.admin.DefinitionsImporter.readFile(config.definitions()),
                            config.definitions());
                    return;
                }
                io.warren.broker.admin.DefinitionsImporter.importFile(broker.state(), config.definitions());
            } catch (IOException | RuntimeException e) {
                throw new StartupException("cannot import definitions from " + config.definitions() + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
