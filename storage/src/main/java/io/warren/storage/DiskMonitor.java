package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Free space of the journal's file system. A failed journal write stops the store until a restart (what
 * reached the file is unknown), and streams write through memory-mapped sparse files, where running out
 * of space is not an {@code IOException} but a SIGBUS on the page that cannot be allocated. So the writer
 * never lets free space go under a hard reserve: publishes that would are refused ({@link DiskFullException})
 * before a byte is written. Above that, an alarm level lets the broker block
 * publishers early, as RabbitMQ's disk alarm does. Measured on the writer thread; read from anywhere.
 */
final class DiskMonitor {
    private static final Logger log = LoggerFactory.getLogger(DiskMonitor.class);

    private record Registration(DiskAlarmListener listener, Executor executor) {
    }

    private final LongSupplier source;
    private final long alarmBytes;
    private final long reserveBytes;
    private final long checkNanos;
    private final List<Registration> listeners = new CopyOnWriteArrayList<>();
    private volatile long free;
    private volatile boolean alarm;
    private long measuredAt;
    private long writtenSinceMeasure;

    DiskMonitor(StoreConfig config) {
        Path dir = config.dir();
        this.source = config.freeSpace() != null ? config.freeSpace() : new UsableSpace(dir);
        this.alarmBytes = config.diskAlarmBytes();
        this.reserveBytes = config.diskReserveBytes();
        this.checkNanos = config.diskCheckMillis() * 1_000_000L;
        measure();
    }

    /**
     * Free space of the data directory's file system. The {@link FileStore} is looked up once: finding
     * it reads and parses the mount table, which cost more than the statfs call itself, every few seconds
     * on an idle broker. Its usable space is a fresh statfs of the directory each time.
     */
    /** The file system's usable space under {@code dir}, for one thread. */
    static LongSupplier usableSpace(Path dir) {
        return new UsableSpace(dir);
    }

    private static final class UsableSpace implements LongSupplier {
        private final Path dir;
        private FileStore store;

        UsableSpace(Path dir) {
            this.dir = dir;
        }

        @Override
        public long getAsLong() {
            try {
                if (store == null) store = Files.getFileStore(dir);
                return store.getUsableSpace();
            } catch (IOException e) {
                store = null; // look it up again next time
                log.warn("cannot read free space of {}: {}", dir, e.toString());
                return 0;
            }
        }
    }

    /** Re-measures if the last measurement is older than the check interval. Writer thread. */
    void refreshIfDue() {
        if (System.nanoTime() - measuredAt >= checkNanos) measure();
    }

    long nanosUntilDue() {
        return Math.max(0, checkNanos - (System.nanoTime() - measuredAt));
    }

    private void measure() {
        long f = source.getAsLong();
        measuredAt = System.nanoTime();
        writtenSinceMeasure = 0;
        free = f;
        boolean now = f < alarmBytes;
        if (now != alarm) {
            alarm = now;
            if (now) {
                log.warn("disk alarm: {} bytes free, alarm level {}", f, alarmBytes);
            } else {
                log.info("disk alarm cleared: {} bytes free", f);
            }
            for (Registration r : listeners) notify(r, now, f);
        }
    }

    /** @throws DiskFullException if writing {@code bytes} more would cut into the reserve */
    void reserve(long bytes) {
        if (free - writtenSinceMeasure - bytes < reserveBytes) {
            measure();
            if (free - bytes < reserveBytes) {
                throw new DiskFullException("disk full: " + free + " bytes free, " + reserveBytes
                        + " kept in reserve, write needs " + bytes);
            }
        }
        writtenSinceMeasure += bytes;
    }

    boolean alarm() {
        return alarm;
    }

    long freeBytes() {
        return free;
    }

    void addListener(DiskAlarmListener listener, Executor executor) {
        Registration r = new Registration(listener, executor);
        listeners.add(r);
        notify(r, alarm, free);
    }

    private static void notify(Registration r, boolean alarm, long free) {
        try {
            r.executor().execute(() -> r.listener().alarmChanged(alarm, free));
        } catch (RuntimeException e) {
            log.warn("disk alarm listener not told: {}", e.toString());
        }
    }
}
