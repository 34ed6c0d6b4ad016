package io.warren.management.model;

/**
 * A broker refusal of an admin action, carrying the AMQP reply the same operation would get over
 * AMQP (e.g. 404 and {@code "NOT_FOUND - no queue 'q' in vhost '/'"}). The HTTP layer maps it to a
 * status and formats the reason the way RabbitMQ's management plugin does for that endpoint.
 */
public final class AdminException extends RuntimeException {
    private final int replyCode;
    private final String replyText;

    public AdminException(int replyCode, String replyText) {
        super(replyCode + " " + replyText, null, false, false);
        this.replyCode = replyCode;
        this.replyText = replyText;
    }

    public int replyCode() {
        return replyCode;
    }

    /** The full AMQP text, e.g. {@code "PRECONDITION_FAILED - inequivalent arg ..."}. */
    public String replyText() {
        return replyText;
    }

    /** The text without its {@code "NAME - "} prefix, as RabbitMQ shows declare errors. */
    public String detail() {
        int i = replyText.indexOf(" - ");
        return i < 0 ? replyText : replyText.substring(i + 3);
    }
}
