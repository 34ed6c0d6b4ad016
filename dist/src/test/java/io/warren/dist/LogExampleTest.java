package io.warren.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The release's conf/logback-example.xml is the broker's built-in logging (the logback Configurator the broker
 * jar registers): the same levels, appenders, pattern and java.util.logging propagation. An operator who copies
 * the file to conf/logback.xml starts from exactly what they had.
 */
class LogExampleTest {
    @Test
    void theExampleFileIsTheBrokersBuiltInLogging() throws Exception {
        List<Configurator> registered = new ArrayList<>();
        ServiceLoader.load(Configurator.class).forEach(registered::add);
        assertEquals(List.of("io.warren.broker.LogDefaults"), registered.stream().map(c -> c.getClass().getName()).toList(),
                "the broker jar registers its defaults with logback");

        LoggerContext fromCode = new LoggerContext();
        Configurator defaults = registered.get(0);
        defaults.setContext(fromCode);
        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, defaults.configure(fromCode));

        LoggerContext fromFile = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(fromFile);
        joran.doConfigure(new File("src/dist/conf/logback-example.xml"));

        // the root's level too: both read WARREN_LOG_LEVEL, INFO without it
        assertEquals(explicitLevels(fromFile), explicitLevels(fromCode));
        assertEquals(rootAppenders(fromFile), rootAppenders(fromCode));
        assertEquals(listeners(fromFile), listeners(fromCode));
    }

    private static Map<String, Level> explicitLevels(LoggerContext ctx) {
        Map<String, Level> m = new TreeMap<>();
        for (Logger l : ctx.getLoggerList()) {
            if (l.getLevel() != null) {
                m.put(l.getName(), l.getLevel());
            }
        }
        return m;
    }

    /** Each appender of the root logger: its class, name and (for a stream appender) the encoder's pattern. */
    private static List<String> rootAppenders(LoggerContext ctx) {
        List<String> out = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = ctx.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            String pattern = a instanceof OutputStreamAppender<ILoggingEvent> s && s.getEncoder() instanceof PatternLayoutEncoder e
                    ? e.getPattern() : "-";
            out.add(a.getClass().getName() + " " + a.getName() + " " + pattern + " started=" + a.isStarted());
        }
        return out;
    }

    private static List<String> listeners(LoggerContext ctx) {
        return ctx.getCopyOfListenerList().stream().map(l -> l.getClass().getName()).toList();
    }
}
