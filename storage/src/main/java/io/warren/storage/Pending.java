package io.warren.storage;

import java.util.concurrent.Executor;

/** A submitted write (or a control task for the writer) waiting for its batch, and then its outcome. */
final class Pending {
    final Write write;
    final Runnable control;
    final Executor executor;
    final WriteCallback callback;
    /** Non-null: this entry only carries these writes, handed over together (see {@link ExecutorBatches}). */
    final java.util.List<Pending> bundle;
    long location = -1;
    Throwable failure;
    boolean appended;

    Pending(Write write, Runnable control, Executor executor, WriteCallback callback) {
        this.write = write;
        this.control = control;
        this.executor = executor;
        this.callback = callback;
        this.bundle = null;
    }

    private Pending(java.util.List<Pending> bundle) {
        this.write = null;
        this.control = null;
        this.executor = null;
        this.callback = null;
        this.bundle = bundle;
    }

    /** One queue entry for several writes: the writer is woken once for all of them. */
    static Pending bundle(java.util.List<Pending> writes) {
        return new Pending(writes);
    }
}
