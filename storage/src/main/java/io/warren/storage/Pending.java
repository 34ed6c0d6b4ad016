package io.warren.storage;

import java.util.concurrent.Executor;

/** A submitted write (or a control task for the writer) waiting for its batch, and then its outcome. */
final class Pending {
    final Write write;
    final Runnable control;
    final Executor executor;
    final WriteCallback callback;
    long location = -1;
    Throwable failure;
    boolean appended;

    Pending(Write write, Runnable control, Executor executor, WriteCallback callback) {
        this.write = write;
        this.control = control;
        this.executor = executor;
        this.callback = callback;
    }
}
