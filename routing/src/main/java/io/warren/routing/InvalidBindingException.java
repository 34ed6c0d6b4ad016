package io.warren.routing;

/**
 * A binding RabbitMQ would refuse. The message is exactly the text RabbitMQ puts after
 * {@code "PRECONDITION_FAILED - "} in its 406 channel.close, so the broker can prepend that and send it.
 */
public class InvalidBindingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidBindingException(String message) {
        super(message);
    }
}
