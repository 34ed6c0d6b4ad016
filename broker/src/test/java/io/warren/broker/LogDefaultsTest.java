package io.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogDefaultsTest {
    @Test
    void linesAreIsoTimestampedAndLevelsFollowTheDefaults() {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new LogbackMDCAdapter()); // as SLF4J's binding gives its context
        LogDefaults.apply(ctx, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8)); // the console appender writes to System.out
        try {
            ctx.getLogger("io.warren.broker.SomeClass").info("hello {}", "there");
            ctx.getLogger("io.warren.broker.SomeClass").debug("not at INFO");
            ctx.getLogger("io.netty.channel.Whatever").info("netty below WARN");
            ctx.getLogger("org.apache.ratis.util.LifeCycle").error("off entirely");
            ctx.getLogger("io.netty.channel.Whatever").warn("netty at WARN");
        } finally {
            System.setOut(stdout);
        }

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  \\[[^]]+\\] SomeClass - hello there"), lines[0]);
        assertTrue(lines[1].endsWith(" WARN  [" + Thread.currentThread().getName() + "] Whatever - netty at WARN"), lines[1]);
        assertFalse(ctx.getCopyOfListenerList().isEmpty(), "java.util.logging follows logback's levels");
    }

    @Test
    void theRootLevelComesFromTheEnvironmentsValueOrIsInfo() {
        assertEquals(Level.DEBUG, rootLevelFor("debug"));
        assertEquals(Level.WARN, rootLevelFor("WARN"));
        assertEquals(Level.INFO, rootLevelFor(null));
        assertEquals(Level.INFO, rootLevelFor("loud"));
    }

    @Test
    void aNamedConfigurationFileWins() {
        String before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "/somewhere/logback.xml");
        try {
            LoggerContext ctx = new LoggerContext();
            LogDefaults defaults = new LogDefaults();
            defaults.setContext(ctx);
            assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, defaults.configure(ctx));
            assertFalse(ctx.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext(), "left for the file to set up");
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }

    private static Level rootLevelFor(String value) {
        LoggerContext ctx = new LoggerContext();
        LogDefaults.apply(ctx, value);
        return ctx.getLogger(Logger.ROOT_LOGGER_NAME).getLevel();
    }
}
