package io.warren.storage;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a {@link MessageStore} behaves. Start from {@link #defaults(Path)} and change what you need.
 *
 * @param dir               journal directory, e.g. {@code <data-dir>/messages}
 * @param syncPolicy        when a write counts as done
 * @param rollBytes         start a new journal file once the current one holds this many bytes
 * @param rollIntervalMillis start a new journal file once the current one is this old and was written to,
 *                          so that a drained queue gives its disk space back after about this long
 * @param diskAlarmBytes    below this much free space {@link MessageStore#diskAlarm()} is raised
 *                          (the broker blocks publishers, like RabbitMQ's {@code disk_free_limit})
 * @param diskReserveBytes  below this much free space publishes fail with {@link DiskFullException};
 *                          settles still go through, so consumers can free space
 * @param diskCheckMillis   how often free space is measured
 * @param freeSpace         where free space comes from; {@code null} asks the file system (tests inject)
 * @param writeBacklogBytes above this many bytes submitted and not yet written (and synced, under the
 *                          default policy) the store reports a write backlog, until it is down to half:
 *                          the broker then stops reading publishers, so a slow disk slows them down
 *                          instead of filling the heap
 */
public record StoreConfig(Path dir, SyncPolicy syncPolicy, long rollBytes, long rollIntervalMillis,
                          long diskAlarmBytes, long diskReserveBytes, long diskCheckMillis,
                          LongSupplier freeSpace, long writeBacklogBytes) {

    /** 64 MiB: many group-commit batches' worth, far above what a healthy disk leaves waiting. */
    public static final long DEFAULT_WRITE_BACKLOG_BYTES = 64L << 20;

    public StoreConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        if (rollBytes < 1 << 20) throw new IllegalArgumentException("rollBytes below 1 MiB");
        if (rollIntervalMillis <= 0) throw new IllegalArgumentException("rollIntervalMillis must be positive");
        if (diskReserveBytes > diskAlarmBytes) throw new IllegalArgumentException("reserve above alarm level");
        if (writeBacklogBytes <= 0) throw new IllegalArgumentException("writeBacklogBytes must be positive");
    }

    public static StoreConfig defaults(Path dir) {
        return new StoreConfig(dir, SyncPolicy.everyBatch(), 64L << 20, 60_000, 256L << 20, 64L << 20, 1_000, null,
                DEFAULT_WRITE_BACKLOG_BYTES);
    }

    public StoreConfig withSyncPolicy(SyncPolicy p) {
        return new StoreConfig(dir, p, rollBytes, rollIntervalMillis, diskAlarmBytes, diskReserveBytes,
                diskCheckMillis, freeSpace, writeBacklogBytes);
    }

    public StoreConfig withRoll(long bytes, long intervalMillis) {
        return new StoreConfig(dir, syncPolicy, bytes, intervalMillis, diskAlarmBytes, diskReserveBytes,
                diskCheckMillis, freeSpace, writeBacklogBytes);
    }

    public StoreConfig withDisk(long alarmBytes, long reserveBytes, long checkMillis, LongSupplier source) {
        return new StoreConfig(dir, syncPolicy, rollBytes, rollIntervalMillis, alarmBytes, reserveBytes,
                checkMillis, source, writeBacklogBytes);
    }

    public StoreConfig withWriteBacklog(long bytes) {
        return new StoreConfig(dir, syncPolicy, rollBytes, rollIntervalMillis, diskAlarmBytes, diskReserveBytes,
                diskCheckMillis, freeSpace, bytes);
    }
}
