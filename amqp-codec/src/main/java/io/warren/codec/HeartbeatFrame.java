package io.warren.codec;

/** A heartbeat frame. The decoder passes on the channel as received; only channel 0 is valid (else 505). */
public record HeartbeatFrame(int channel) implements Frame {
}
