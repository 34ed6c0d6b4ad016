package io.warren.broker.error;

/**
 * An AMQP error carrying the reply code and the full reply text RabbitMQ would send
 * (e.g. {@code "NOT_FOUND - no queue 'q' in vhost '/'"}). Subclasses decide whether it closes the
 * channel or the whole connection.
 */
public abstract class AmqpException extends RuntimeException {
    private final int replyCode;
    private final String replyText;

    protected AmqpException(int replyCode, String replyText) {
        super(replyText, null, false, false); // no stack trace: these are protocol outcomes, not bugs
        this.replyCode = replyCode;
        this.replyText = replyText;
    }

    public int replyCode() {
        return replyCode;
    }

    public String replyText() {
        return replyText;
    }
}
