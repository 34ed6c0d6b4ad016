package io.warren.broker.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Compiled permission patterns, shared: a permission check runs on every declare and publish. */
final class PatternCache {
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private PatternCache() {
    }

    static Pattern get(String regex) {
        return CACHE.computeIfAbsent(regex, Pattern::compile);
    }
}
