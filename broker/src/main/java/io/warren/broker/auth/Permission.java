package io.warren.broker.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One user's rights in one vhost: RabbitMQ's configure / write / read regular expressions. As with
 * RabbitMQ's {@code re:run}, a pattern grants a resource if it matches anywhere in the name (pattern
 * {@code r-} allows {@code xr-q}); users anchor it with {@code ^...$}. An empty pattern grants nothing.
 *
 * <p>Immutable; the patterns are compiled once here (a check runs on every declare and publish) rather
 * than in a JVM-wide cache, which would outlive the broker and be shared by brokers in one JVM.
 */
public final class Permission {
    public enum Kind { CONFIGURE, WRITE, READ }

    private final String configure;
    private final String write;
    private final String read;
    // fail fast on a bad pattern, at definition time rather than on first use
    private final Pattern configurePattern;
    private final Pattern writePattern;
    private final Pattern readPattern;

    public Permission(String configure, String write, String read) {
        this.configure = configure;
        this.write = write;
        this.read = read;
        this.configurePattern = Pattern.compile(configure);
        this.writePattern = Pattern.compile(write);
        this.readPattern = Pattern.compile(read);
    }

    public String configure() {
        return configure;
    }

    public String write() {
        return write;
    }

    public String read() {
        return read;
    }

    public boolean allows(Kind kind, String resource) {
        Pattern pattern = switch (kind) {
            case CONFIGURE -> configurePattern;
            case WRITE -> writePattern;
            case READ -> readPattern;
        };
        return !pattern.pattern().isEmpty() && pattern.matcher(resource).find();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Permission p && configure.equals(p.configure) && write.equals(p.write)
                && read.equals(p.read);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configure, write, read);
    }

    @Override
    public String toString() {
        return "Permission[configure=" + configure + ", write=" + write + ", read=" + read + "]";
    }
}
