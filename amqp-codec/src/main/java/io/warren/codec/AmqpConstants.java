package io.warren.codec;

/** Reply codes, frame types and sizes from the AMQP 0-9-1 spec (RabbitMQ's amqp-rabbitmq-0.9.1.json). */
public final class AmqpConstants {
    private AmqpConstants() {
    }

    public static final int FRAME_METHOD = 1;
    public static final int FRAME_HEADER = 2;
    public static final int FRAME_BODY = 3;
    public static final int FRAME_HEARTBEAT = 8;
    public static final int FRAME_END = 0xCE;
    public static final int FRAME_MIN_SIZE = 4096;
    /** Type octet, channel short, size long and the frame-end octet: what frame_max counts on top of a payload. */
    public static final int FRAME_OVERHEAD = 8;
    /** Type octet, channel short and size long, read before a payload can be sized. */
    public static final int FRAME_HEADER_SIZE = 7;

    public static final int REPLY_SUCCESS = 200;
    public static final int CONTENT_TOO_LARGE = 311;
    public static final int NO_ROUTE = 312;
    public static final int NO_CONSUMERS = 313;
    public static final int CONNECTION_FORCED = 320;
    public static final int INVALID_PATH = 402;
    public static final int ACCESS_REFUSED = 403;
    public static final int NOT_FOUND = 404;
    public static final int RESOURCE_LOCKED = 405;
    public static final int PRECONDITION_FAILED = 406;
    public static final int FRAME_ERROR = 501;
    public static final int SYNTAX_ERROR = 502;
    public static final int COMMAND_INVALID = 503;
    public static final int CHANNEL_ERROR = 504;
    public static final int UNEXPECTED_FRAME = 505;
    public static final int RESOURCE_ERROR = 506;
    public static final int NOT_ALLOWED = 530;
    public static final int NOT_IMPLEMENTED = 540;
    public static final int INTERNAL_ERROR = 541;

    /** Whether a reply code closes the whole connection (hard error) rather than one channel. */
    public static boolean isHardError(int replyCode) {
        return switch (replyCode) {
            case CONNECTION_FORCED, INVALID_PATH, FRAME_ERROR, SYNTAX_ERROR, COMMAND_INVALID, CHANNEL_ERROR,
                    UNEXPECTED_FRAME, RESOURCE_ERROR, NOT_ALLOWED, NOT_IMPLEMENTED, INTERNAL_ERROR -> true;
            default -> false;
        };
    }
}
