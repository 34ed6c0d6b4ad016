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
            LOG.error("{}", e.getMessage());
            LOG.error("usage: warren [--amqp-port N] [--http-port N] [--data-dir DIR] [--bind ADDR] [--config FILE]");
            System.exit(2);
            return;
        }
        Files.createDirectories(config.dataDir());
        Broker broker = new Broker(config).recover();
        if (config.definitions() != null) {
            io.warren.broker.admin.DefinitionsImporter.importFile(broker.state(), config.definitions());
        }
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "warren-shutdown"));
        LOG.info("Warren {} started: amqp {}:{}, amqps port {}, http port {}, {}, data dir {}", Version.get(), config.bind(),
                broker.amqpPort(), broker.tlsPort() < 0 ? "off" : broker.tlsPort(), config.httpPort(),
                broker.pluginsDescription(), config.dataDir().toAbsolutePath());
        Thread.currentThread().join(); // the event loops do the work; exit comes via the shutdown hook
    }
}
