package io.warren.management.api;

import io.warren.management.http.Json;
import io.warren.management.http.PathCodec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A binding's {@code properties_key}, the last path segment that names one binding between a
 * source and a destination. As in RabbitMQ: the URL-encoded routing key, {@code "~"} for an empty
 * key, and {@code "~" + hash} appended when there are arguments. RabbitMQ hashes with Erlang's
 * phash2; clients treat the key as opaque, so any stable hash of the arguments will do.
 */
public final class PropertiesKey {
    private PropertiesKey() {
    }

    public static String of(String routingKey, Map<String, Object> arguments) {
        String key = PathCodec.encode(routingKey);
        if (arguments == null || arguments.isEmpty()) {
            return routingKey.isEmpty() ? "~" : key;
        }
        return key + "~" + hash(arguments);
    }

    private static String hash(Map<String, Object> arguments) {
        try {
            byte[] canonical = Json.bytes(new TreeMap<>(arguments));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
