package io.warren.broker;

import io.warren.broker.config.BrokerConfig;
import io.warren.broker.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;

/** Entry point: {@code warren [--amqp-port N] [--http-port N] [--data-dir DIR] [--bind ADDR] [--config FILE]}. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        BrokerConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv(), new io.warren.broker.plugin.Plugins().optionKeys());
        } catch (IllegalArgumentException e) {
            // one line that names the setting; the flags are listed in README.md
            LOG.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(config.dataDir());
        Broker broker;
        try {
            broker = new Broker(config).recover();
        } catch (java.io.IOException e) {
            LOG.error("cannot start: {}", e.getMessage()); // e.g. the cluster port is taken
            System.exit(1);
            return;
        }
        if (config.definitions() != null) {
            io.warren.broker.admin.DefinitionsImporter.importFile(broker.state(), config.definitions());
        }
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "warren-shutdown"));
        LOG.info("Warren {} started: amqp {}:{}, amqps port {}, http port {}, {}, data dir {}{}", Version.get(),
                config.bind(), broker.amqpPort(), broker.tlsPort() < 0 ? "off" : broker.tlsPort(),
                broker.httpPort() < 0 ? "off" : broker.httpPort(), broker.pluginsDescription(),
                config.dataDir().toAbsolutePath(), config.cluster().enabled()
                        ? ", cluster node " + config.cluster().nodeName() : "");
        Thread.currentThread().join(); // the event loops do the work; exit comes via the shutdown hook
    }
}
