package io.warren.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The broker's own settings that tell warrenctl where it listens and who may log in, read as the broker reads
 * them (its ConfigLoader): environment ({@code WARREN_HTTP_PORT}, {@code WARREN_BIND}, {@code WARREN_DEFAULT_USER},
 * {@code WARREN_DEFAULT_PASS}) over the config file ({@code --config}, {@code WARREN_CONFIG}, or
 * {@code ./warren.conf} if present; keys http-port, bind, default-user, default-pass). The cli has no compile
 * dependency on the broker, so the few keys are named here.
 */
final class BrokerSettings {
    private static final String[] KEYS = {"http-port", "bind", "default-user", "default-pass"};

    private BrokerSettings() {
    }

    static Properties load(String configFlag, Map<String, String> env) {
        Properties p = new Properties();
        String named = configFlag != null ? configFlag : env.get("WARREN_CONFIG");
        Path file = Path.of(named != null ? named : "warren.conf");
        if (Files.isRegularFile(file)) {
            Properties f = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                f.load(r);
            } catch (IOException e) {
                throw new CliException(CliException.DATAERR, "Error: cannot read " + file + ": " + e.getMessage());
            }
            for (String k : KEYS) {
                if (f.getProperty(k) != null) {
                    p.setProperty(k, f.getProperty(k).trim());
                }
            }
        } else if (named != null) {
            throw new CliException(CliException.DATAERR, "Error: broker config file " + file + " does not exist");
        }
        for (String k : KEYS) {
            String v = env.get("WARREN_" + k.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            if (v != null && !v.isBlank()) {
                p.setProperty(k, v.trim());
            }
        }
        return p;
    }

    /** The broker's listen address as a host to connect to: a wildcard address means this machine. */
    static String reachableHost(String bind) {
        if (bind == null || bind.isBlank() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
            return null;
        }
        return bind;
    }
}
