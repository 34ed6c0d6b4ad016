package io.warren.codec;

import io.warren.codec.method.AmqpMethod;

/** A method frame, decoded eagerly into its method record. */
public record MethodFrame(int channel, AmqpMethod method) implements Frame {
}
