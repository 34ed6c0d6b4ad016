package io.warren.broker.plugin;

import io.warren.plugin.PluginHost;
import io.warren.plugin.ProtocolPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The protocol plugins on the classpath (the {@code mqtt} module's jar, for one). Found with ServiceLoader so
 * that the core never names a plugin: the dependency runs plugin → plugin-api ← broker, with no cycle, and the
 * broker's pom lists plugins only at runtime scope to ship them in {@code target/lib}.
 */
public final class Plugins implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    private final List<ProtocolPlugin> found = new ArrayList<>();
    private final List<ProtocolPlugin.Running> running = new ArrayList<>();

    public Plugins() {
        ServiceLoader.load(ProtocolPlugin.class).forEach(found::add);
    }

    /** Every setting the plugins read, so the configuration accepts them. */
    public Set<String> optionKeys() {
        Set<String> keys = new LinkedHashSet<>();
        found.forEach(p -> keys.addAll(p.optionKeys()));
        return keys;
    }

    /** Each plugin setting with its default as --help shows it ("" where the plugin names none). */
    public Map<String, String> optionDefaults() {
        Map<String, String> defaults = new java.util.TreeMap<>();
        for (ProtocolPlugin p : found) {
            for (String k : p.optionKeys()) {
                String d = p.optionDefault(k);
                defaults.put(k, d == null ? "" : d);
            }
        }
        return defaults;
    }

    /** Checks every plugin's settings out of {@code options}; throws IllegalArgumentException naming the bad one. */
    public void validate(Map<String, String> options) {
        for (ProtocolPlugin p : found) {
            p.validate(own(p, options));
        }
    }

    /** Starts every plugin with its own options out of {@code options}. */
    public void start(PluginHost host, Map<String, String> options) throws Exception {
        for (ProtocolPlugin p : found) {
            running.add(p.start(host, own(p, options)));
        }
    }

    private static Map<String, String> own(ProtocolPlugin p, Map<String, String> options) {
        Map<String, String> own = new HashMap<>();
        for (String k : p.optionKeys()) {
            if (options.containsKey(k)) {
                own.put(k, options.get(k));
            }
        }
        return own;
    }

    /** For the start-up log line, e.g. "mqtt port 1883". */
    public String describe() {
        return running.stream().map(ProtocolPlugin.Running::describe).reduce((a, b) -> a + ", " + b).orElse("no plugins");
    }

    @Override
    public void close() {
        for (ProtocolPlugin.Running r : running) {
            try {
                r.close();
            } catch (RuntimeException e) {
                LOG.warn("plugin {} did not stop cleanly: {}", r.describe(), e.toString());
            }
        }
        running.clear();
    }
}
