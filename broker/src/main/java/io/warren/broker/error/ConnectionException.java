package io.warren.broker.error;

import io.warren.codec.AmqpConstants;

/** A hard error: the broker closes the whole connection with connection.close. */
public final class ConnectionException extends AmqpException {
    public ConnectionException(int replyCode, String replyText) {
        super(replyCode, replyText);
    }

    public static ConnectionException commandInvalid(String text) {
        return new ConnectionException(AmqpConstants.COMMAND_INVALID, "COMMAND_INVALID - " + text);
    }

    public static ConnectionException notAllowed(String text) {
        return new ConnectionException(AmqpConstants.NOT_ALLOWED, "NOT_ALLOWED - " + text);
    }

    public static ConnectionException notImplemented(String text) {
        return new ConnectionException(AmqpConstants.NOT_IMPLEMENTED, "NOT_IMPLEMENTED - " + text);
    }

    public static ConnectionException channelError(String text) {
        return new ConnectionException(AmqpConstants.CHANNEL_ERROR, "CHANNEL_ERROR - " + text);
    }

    public static ConnectionException unexpectedFrame(String text) {
        return new ConnectionException(AmqpConstants.UNEXPECTED_FRAME, "UNEXPECTED_FRAME - " + text);
    }

    public static ConnectionException internalError(String text) {
        return new ConnectionException(AmqpConstants.INTERNAL_ERROR, "INTERNAL_ERROR - " + text);
    }

    public static ConnectionException frameError(String text) {
        return new ConnectionException(AmqpConstants.FRAME_ERROR, "FRAME_ERROR - " + text);
    }
}
