package io.warren.broker.error;

import io.warren.codec.AmqpConstants;

/** A soft error: the broker closes the offending channel; the connection keeps working. */
public final class ChannelException extends AmqpException {
    public ChannelException(int replyCode, String replyText) {
        super(replyCode, replyText);
    }

    public static ChannelException notFound(String text) {
        return new ChannelException(AmqpConstants.NOT_FOUND, "NOT_FOUND - " + text);
    }

    public static ChannelException accessRefused(String text) {
        return new ChannelException(AmqpConstants.ACCESS_REFUSED, "ACCESS_REFUSED - " + text);
    }

    public static ChannelException resourceLocked(String text) {
        return new ChannelException(AmqpConstants.RESOURCE_LOCKED, "RESOURCE_LOCKED - " + text);
    }

    public static ChannelException preconditionFailed(String text) {
        return new ChannelException(AmqpConstants.PRECONDITION_FAILED, "PRECONDITION_FAILED - " + text);
    }

    public static ChannelException noQueue(String queue, String vhost) {
        return notFound("no queue '" + queue + "' in vhost '" + vhost + "'");
    }

    /** RabbitMQ's 405 for another connection's exclusive queue, or a redeclare with a different exclusive flag. */
    public static ChannelException queueLocked(String queue, String vhost) {
        return resourceLocked("cannot obtain exclusive access to locked queue '" + queue + "' in vhost '" + vhost
                + "'. It could be originally declared on another connection or the exclusive property value does"
                + " not match that of the original declaration.");
    }

    public static ChannelException noExchange(String exchange, String vhost) {
        return notFound("no exchange '" + exchange + "' in vhost '" + vhost + "'");
    }
}
