package io.warren.broker.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the broker process logs: {@code level} (null: leave the one logback started with, WARREN_LOG_LEVEL's),
 * {@code json} for one JSON object per line, {@code file} (null: stdout) rotated by size and day. Kept apart
 * from {@link BrokerConfig}: logging belongs to the process, and a broker embedded in a test JVM leaves it alone.
 */
public record LogSettings(String level, boolean json, Path file) {
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    public static LogSettings from(Map<String, String> v) {
        String level = v.get("log-level");
        if (level != null) {
            level = level.trim().toUpperCase(Locale.ROOT);
            if (!LEVELS.contains(level)) {
                throw new IllegalArgumentException("--log-level needs one of TRACE, DEBUG, INFO, WARN, ERROR, got '"
                        + v.get("log-level") + "'");
            }
        }
        String format = v.getOrDefault("log-format", "text").trim();
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("--log-format needs text or json, got '" + format + "'");
        }
        String file = v.get("log-file");
        return new LogSettings(level, format.equals("json"), file == null || file.isBlank() ? null : Path.of(file));
    }

    /** True when logback's default appenders must be replaced (the level alone is set on the root logger). */
    public boolean replacesAppenders() {
        return json || file != null;
    }
}
