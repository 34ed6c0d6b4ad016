package io.warren.broker.model;

import java.util.function.Consumer;

/**
 * A publisher awaiting a confirm, as a queue sees it: a queue that writes a message itself takes a
 * callback here and runs it (from any thread) once its copy is durable, with null, or with the
 * failure; the publisher's confirm waits for every callback it handed out.
 */
@FunctionalInterface
public interface ConfirmWait {
    Consumer<Throwable> awaitWrite();
}
