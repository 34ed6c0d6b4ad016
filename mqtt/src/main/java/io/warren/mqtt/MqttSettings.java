package io.warren.mqtt;

import java.util.Map;
import java.util.Set;

/**
 * The plugin's settings, in the broker's key space ({@code --mqtt-port} = {@code WARREN_MQTT_PORT}). Defaults are
 * RabbitMQ's MQTT plugin's: port 1883 (8883 over TLS, when the broker has certificates), vhost {@code /}, prefetch 10,
 * anonymous logins as guest/guest, a persistent session's queue expiring after 24 h unused
 * ({@code mqtt.subscription_ttl}; 0 keeps it for ever).
 */
record MqttSettings(int port, int tlsPort, int maxPacketSize, String vhost, int prefetch, String anonymousUser,
                    String anonymousPassword, long connectTimeoutMillis, long subscriptionTtlMillis) {

    /** Every setting with its default (what --help shows). */
    static final Map<String, String> DEFAULTS = Map.of("mqtt-port", "1883", "mqtts-port", "8883",
            "mqtt-max-packet-size", Integer.toString(16 * 1024 * 1024), "mqtt-vhost", "/", "mqtt-prefetch", "10",
            "mqtt-default-user", "guest", "mqtt-default-pass", "guest", "mqtt-subscription-ttl", "86400000");
    static final Set<String> KEYS = DEFAULTS.keySet();

    static MqttSettings from(Map<String, String> given) {
        Map<String, String> o = new java.util.HashMap<>(DEFAULTS);
        o.putAll(given);
        int maxPacket = intValue(o, "mqtt-max-packet-size", 16 * 1024 * 1024);
        if (maxPacket < 64 || maxPacket > 268_435_455) { // the largest remaining length MQTT can encode
            throw new IllegalArgumentException("--mqtt-max-packet-size needs 64..268435455, got " + maxPacket);
        }
        return new MqttSettings(port(o, "mqtt-port"), port(o, "mqtts-port"), maxPacket, o.getOrDefault("mqtt-vhost", "/"),
                Math.max(1, intValue(o, "mqtt-prefetch", 10)), o.getOrDefault("mqtt-default-user", "guest"),
                o.getOrDefault("mqtt-default-pass", "guest"), 10_000, subscriptionTtl(o));
    }

    /** Milliseconds, as x-expires takes them (at most ten years, RabbitMQ's bound); 0: no expiry. */
    private static long subscriptionTtl(Map<String, String> o) {
        String s = o.get("mqtt-subscription-ttl").trim();
        try {
            long ttl = Long.parseLong(s);
            if (ttl >= 0 && ttl <= 315_360_000_000L) {
                return ttl;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("--mqtt-subscription-ttl needs milliseconds 0..315360000000 (0: never), got '" + s + "'");
    }

    /** A listener port; 0 or -1 (as for --http-port) turn the listener off, both read back as 0. */
    private static int port(Map<String, String> o, String key) {
        int p = intValue(o, key, 0);
        if (p < -1 || p > 65535) {
            throw new IllegalArgumentException("--" + key + " needs a port 1..65535, or -1 for off; got " + p);
        }
        return Math.max(p, 0);
    }

    private static int intValue(Map<String, String> o, String key, int dflt) {
        String s = o.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, got '" + s + "'");
        }
    }
}
