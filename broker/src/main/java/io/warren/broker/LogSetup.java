package io.warren.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.warren.broker.config.LogSettings;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-level}, {@code --log-format} and {@code --log-file} to logback. Without the last two
 * the appenders logback started with (the defaults of {@link LogDefaults}, or those of the file
 * {@code -Dlogback.configurationFile} names) stay as they are; with either, the root logger gets one appender
 * built here instead: stdout or a file rolled over daily and at 100 MB (gzipped, 7 days and at most 1 GB kept),
 * encoded as the defaults' text pattern or by logback's
 * own {@link JsonEncoder}. Runs before the first log line, from {@link Main} only: logging is the process's.
 */
final class LogSetup {
    /** ISO-8601 with date, milliseconds and zone offset, e.g. 2026-12-06T11:58:59.543Z. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    private LogSetup() {
    }

    static void apply(LogSettings s) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return; // another SLF4J backend: its own configuration rules
        }
        // java.util.logging (gRPC, the cluster's Raft transport, uses it) into the same log and format, at the
        // levels logback was given; without this gRPC wrote its own two-line records to stderr
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (s.level() != null) {
            root.setLevel(Level.toLevel(s.level()));
        }
        if (!s.replacesAppenders()) {
            return;
        }
        Encoder<ILoggingEvent> encoder = s.json() ? jsonEncoder() : textEncoder();
        encoder.setContext(ctx);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = s.file() == null ? new ConsoleAppender<>() : rolling(ctx, s);
        appender.setName(s.file() == null ? "STDOUT" : "FILE");
        appender.setContext(ctx);
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    private static Encoder<ILoggingEvent> textEncoder() {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setPattern(TEXT_PATTERN);
        return e;
    }

    /** One object per line: timestamp (epoch ms), level, threadName, loggerName, formatted message, throwable. */
    private static Encoder<ILoggingEvent> jsonEncoder() {
        JsonEncoder e = new JsonEncoder();
        e.setWithContext(false);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.setWithMessage(false);
        e.setWithArguments(false);
        e.setWithFormattedMessage(true);
        return e;
    }

    private static RollingFileAppender<ILoggingEvent> rolling(LoggerContext ctx, LogSettings s) {
        RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
        a.setFile(s.file().toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> p = new SizeAndTimeBasedRollingPolicy<>();
        p.setContext(ctx);
        p.setParent(a);
        p.setFileNamePattern(s.file() + ".%d{yyyy-MM-dd}.%i.gz");
        p.setMaxFileSize(FileSize.valueOf("100MB"));
        p.setMaxHistory(7);
        p.setTotalSizeCap(FileSize.valueOf("1GB"));
        p.start();
        a.setRollingPolicy(p);
        return a;
    }
}
