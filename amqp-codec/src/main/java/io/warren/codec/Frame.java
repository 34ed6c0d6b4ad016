package io.warren.codec;

/** One decoded AMQP frame. */
public sealed interface Frame permits MethodFrame, ContentHeaderFrame, ContentBodyFrame, HeartbeatFrame {
    int channel();
}
