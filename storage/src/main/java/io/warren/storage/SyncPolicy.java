package io.warren.storage;

/**
 * When a write counts as done.
 */
public sealed interface SyncPolicy permits SyncPolicy.EveryBatch, SyncPolicy.Interval {

    /**
     * The default. The writer appends whatever is queued, forces it to the device with one
     * {@code fdatasync} per touched journal file, and only then completes the batch: a completed write
     * survives a process crash, an OS crash and a power cut (as far as the device honours flushes).
     */
    record EveryBatch() implements SyncPolicy {
    }

    /**
     * Completes a write as soon as it is in the page cache and syncs on a timer. A completed write
     * survives a crash of the broker process ({@code kill -9}), but an OS crash or power cut can lose up to
     * {@code millis} of completed writes.
     */
    record Interval(long millis) implements SyncPolicy {
        public Interval {
            if (millis <= 0) throw new IllegalArgumentException("interval must be positive");
        }
    }

    static SyncPolicy everyBatch() {
        return new EveryBatch();
    }

    static SyncPolicy interval(long millis) {
        return new Interval(millis);
    }
}
