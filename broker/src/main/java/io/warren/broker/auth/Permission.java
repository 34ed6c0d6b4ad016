package io.warren.broker.auth;

import java.util.regex.Pattern;

/**
 * One user's rights in one vhost: RabbitMQ's configure / write / read regular expressions. As with
 * RabbitMQ's {@code re:run}, a pattern grants a resource if it matches anywhere in the name (pattern
 * {@code r-} allows {@code xr-q}); users anchor it with {@code ^...$}. An empty pattern grants nothing.
 */
public record Permission(String configure, String write, String read) {
    public enum Kind { CONFIGURE, WRITE, READ }

    public Permission {
        // fail fast on a bad pattern, at definition time rather than on first use
        compile(configure);
        compile(write);
        compile(read);
    }

    public boolean allows(Kind kind, String resource) {
        String pattern = switch (kind) {
            case CONFIGURE -> configure;
            case WRITE -> write;
            case READ -> read;
        };
        return !pattern.isEmpty() && compile(pattern).matcher(resource).find();
    }

    private static Pattern compile(String regex) {
        return PatternCache.get(regex);
    }
}
