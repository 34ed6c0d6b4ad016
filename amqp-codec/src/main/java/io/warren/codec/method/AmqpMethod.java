package io.warren.codec.method;

import io.netty.buffer.ByteBuf;

/**
 * One AMQP 0-9-1 method: an immutable record per method, named ClassMethod. Reserved fields of the spec are not
 * components; they are written as zero / empty and skipped on read.
 */
public interface AmqpMethod {
    int classId();

    int methodId();

    /** Writes the argument list only (no class/method id); bits are packed as the spec requires. */
    void writeArguments(ByteBuf out);

    /** True for the four methods followed by a content header and body frames. */
    default boolean hasContent() {
        return false;
    }

    /** The spec name, e.g. "basic.publish". */
    String name();
}
