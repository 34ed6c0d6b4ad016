package io.warren.plugin;

/** A refusal from the core, with RabbitMQ's text (e.g. {@code access to queue 'q' in vhost '/' refused for user 'u'}). */
public final class PluginException extends RuntimeException {
    public enum Kind { BAD_CREDENTIALS, NOT_ALLOWED, ACCESS_REFUSED, NOT_FOUND, PRECONDITION_FAILED }

    private final Kind kind;

    public PluginException(Kind kind, String message) {
        super(message, null, false, false); // an expected refusal: no stack trace
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
