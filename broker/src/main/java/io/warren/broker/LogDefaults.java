package io.warren.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * Warren's default logging, set up in code when logback starts (found through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}): ISO-8601 lines on stdout, the root at
 * {@code WARREN_LOG_LEVEL} (INFO when unset), Netty at WARN and Ratis' noisy loggers quietened.
 *
 * <p>Why not a logback.xml in the jar: reading one loads logback's XML configurator (Joran) and the JDK's XML
 * parser, ~550 classes that stay loaded for the broker's life; a fresh broker's RSS was 88 MiB with the file,
 * 80 without. A configuration file still wins when there is one: {@code -Dlogback.configurationFile}, or a
 * {@code logback.xml} / {@code logback-test.xml} on the class path (an application embedding the broker, the
 * tests); then this steps aside and logback reads that file as usual. The release's
 * {@code conf/logback-example.xml} is these defaults as a file to start from (dist's {@code LogExampleTest}
 * keeps the two alike).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class LogDefaults extends ContextAwareBase implements Configurator {
    /** The environment variable for the root level (the {@code --log-level} setting overrides it later). */
    static final String LEVEL_ENV = "WARREN_LOG_LEVEL";

    /** Levels of named loggers. */
    static final Map<String, Level> LOGGER_LEVELS = loggerLevels();

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (aFileIsGiven()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(ctx, System.getenv(LEVEL_ENV));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code ctx} with the defaults, the root at {@code rootLevel} (INFO if null or not a level). */
    static void apply(LoggerContext ctx, String rootLevel) {
        // java.util.logging (gRPC) follows logback's levels: a record below them is not even built
        LevelChangePropagator julLevels = new LevelChangePropagator();
        julLevels.setContext(ctx);
        julLevels.setResetJUL(true);
        ctx.addListener(julLevels);
        julLevels.start();

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(LogSetup.TEXT_PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setName("STDOUT");
        stdout.setContext(ctx);
        stdout.setEncoder(encoder);
        stdout.start();

        LOGGER_LEVELS.forEach((name, level) -> ctx.getLogger(name).setLevel(level));
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(rootLevel, Level.INFO));
        root.addAppender(stdout);
    }

    private static boolean aFileIsGiven() {
        ClassLoader loader = LogDefaults.class.getClassLoader();
        return System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null;
    }

    private static Map<String, Level> loggerLevels() {
        return Map.of(
                "io.netty", Level.WARN, // Netty's own debug output is noise for an operator
                // cluster mode: Ratis logs each refused connection to a stopped peer with a stack trace, and its
                // client each retry of a change the cluster could not commit; io.warren.cluster logs what matters
                "org.apache.ratis", Level.ERROR,
                "org.apache.ratis.util.LifeCycle", Level.OFF,
                "org.apache.ratis.client.impl.OrderedAsync", Level.OFF);
    }
}
