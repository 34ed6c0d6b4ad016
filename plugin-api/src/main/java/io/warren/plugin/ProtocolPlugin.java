package io.warren.plugin;

import java.util.Map;
import java.util.Set;

/**
 * A protocol served beside AMQP (MQTT), found with {@link java.util.ServiceLoader}. The broker core
 * depends only on this module, never on a plugin: a plugin jar on the classpath is all it takes.
 */
public interface ProtocolPlugin {
    /** Settings this plugin reads, in the broker's key space ({@code mqtt-port} = {@code --mqtt-port} = {@code WARREN_MQTT_PORT}). */
    Set<String> optionKeys();

    /** The default of one of {@link #optionKeys()}, as {@code --help} shows it; null: none to show. */
    default String optionDefault(String key) {
        return null;
    }

    /**
     * Checks the given values of {@link #optionKeys()} at start-up, before anything is opened; an
     * {@link IllegalArgumentException} names the setting and becomes the one line of a usage error.
     */
    default void validate(Map<String, String> options) {
    }

    /**
     * Starts the plugin's listeners on the broker's event loops. {@code options} holds the values given
     * for {@link #optionKeys()} (absent keys: the plugin's defaults). Returns what stops it again.
     */
    Running start(PluginHost host, Map<String, String> options) throws Exception;

    /** A started plugin. */
    interface Running extends AutoCloseable {
        /** One phrase for the start-up log line, e.g. {@code "mqtt port 1883"}. */
        String describe();

        /** Stops listening and closes every client connection. */
        @Override
        void close();
    }
}
