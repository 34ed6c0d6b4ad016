package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the journal's next segment file ahead of time, full of zeros and synced, on a thread of its own, so
 * that the writer's syncs overwrite blocks the file system has already allocated and written. An
 * {@code fdatasync} after appending to a file must also commit the file system's journal (the new blocks,
 * the new size); after overwriting written blocks it only writes the data. Measured here (ext4, 32 KiB
 * batches): 94 µs against 155 µs at the median, and 48 µs of the writing thread's CPU against 74.
 *
 * <p>A zero length is the end of a segment's data ({@link SegmentReader}), so a prepared file that a crash
 * left unused, or the unwritten rest of a segment, reads as empty. Files being prepared carry a name no
 * segment has ({@code *.seg.prep}) until the writer renames one into place; any found at open are deleted.
 *
 * <p>Sizes follow the traffic: twice what the last segment held (the broker rolls at {@code rollBytes}, so
 * a busy journal gets {@code rollBytes} plus a margin, a quiet one a few MiB), so a quiet broker that rolls
 * by age does not write a full segment of zeros each time. A record beyond the prepared end is appended
 * as before. On a disk with less than {@link #SPARE_BYTES} to spare nothing is prepared.
 */
final class SegmentPreparer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmentPreparer.class);
    static final String SUFFIX = ".seg.prep";
    static final long MIN_BYTES = 4L << 20;
    /**
     * Free space a preparation leaves at least, beyond the file itself: the disk monitor counts the journal's
     * own writes between its measurements, not these, so they must never reach its reserve.
     */
    static final long SPARE_BYTES = 512L << 20;
    private static final int ZEROS = 1 << 20;

    private final Path dir;
    private final long maxBytes;
    private final java.util.function.LongSupplier freeSpace;
    private final AtomicInteger names = new AtomicInteger();
    private final Thread thread;
    private final Object lock = new Object();
    /** The next job for the thread; at most one waits (guarded by {@link #lock}). */
    private Job waiting;
    private boolean closed;
    /** Writer thread only: the last job asked for. */
    private Job current;

    private record Job(Path file, long bytes, CompletableFuture<Path> done) {
    }

    /** @param freeSpace the file system's free bytes, read on the preparer's thread */
    SegmentPreparer(Path dir, long maxBytes, java.util.function.LongSupplier freeSpace) throws IOException {
        this.dir = dir;
        this.freeSpace = freeSpace;
        this.maxBytes = Math.max(MIN_BYTES, maxBytes);
        deleteLeftovers(dir);
        thread = new Thread(this::run, "warren-storage-preparer");
        thread.setDaemon(true);
        thread.start();
    }

    private static void deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : s) Files.deleteIfExists(p);
        }
    }

    /** The size to prepare after a segment that held {@code lastSegmentBytes}. */
    long sizeAfter(long lastSegmentBytes) {
        long want = Math.max(MIN_BYTES, 2 * lastSegmentBytes);
        return Math.min(maxBytes, (want + ZEROS - 1) / ZEROS * ZEROS);
    }

    /** Writer thread: starts preparing a file of {@code bytes}, unless one is already prepared or under way. */
    void prepare(long bytes) {
        if (current != null) return;
        Job job = new Job(dir.resolve("next-" + names.incrementAndGet() + SUFFIX), bytes, new CompletableFuture<>());
        synchronized (lock) {
            if (closed) return;
            waiting = job;
            lock.notifyAll();
        }
        current = job;
    }

    /**
     * Writer thread: the prepared file, if one is ready; the caller renames it into place. Never waits: a
     * file still being written is left to finish, and the caller creates an empty one this time.
     */
    Path takeIfReady() {
        Job job = current;
        if (job == null || !job.done().isDone()) return null;
        current = null;
        try {
            return job.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            log.warn("could not prepare the next journal file ({}); the writer appends to a new one", e.getCause().toString());
            return null;
        }
    }

    /** Tests: waits until the file asked for last is prepared (or failed). */
    boolean awaitReady(long millis) throws InterruptedException {
        Job job = current;
        if (job == null) return false;
        try {
            job.done().get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private void run() {
        ByteBuffer zeros = ByteBuffer.allocateDirect(ZEROS);
        while (true) {
            Job job;
            synchronized (lock) {
                while (waiting == null && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // nobody interrupts this thread on purpose; an interrupt would close the channel
                    }
                }
                if (closed) return;
                job = waiting;
                waiting = null;
            }
            Thread.interrupted();
            try {
                if (freeSpace.getAsLong() < job.bytes() + SPARE_BYTES) {
                    job.done().complete(null); // a disk this full: the writer appends to a new file instead
                    continue;
                }
                zeroFill(job, zeros);
                job.done().complete(job.file());
            } catch (IOException | RuntimeException e) {
                try {
                    Files.deleteIfExists(job.file());
                } catch (IOException ignored) {
                    // a leftover is deleted at the next open
                }
                job.done().completeExceptionally(e);
            }
        }
    }

    private void zeroFill(Job job, ByteBuffer zeros) throws IOException {
        try (FileChannel ch = FileChannel.open(job.file(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < job.bytes(); ) {
                zeros.clear();
                if (job.bytes() - at < ZEROS) zeros.limit((int) (job.bytes() - at));
                at += ch.write(zeros, at);
                if (isClosed()) throw new IOException("message store closing");
            }
            ch.force(true); // blocks allocated and written, and the size, before the writer counts on them
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Stops the thread and deletes a prepared file nobody took. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            deleteLeftovers(dir);
        } catch (IOException e) {
            log.debug("deleting prepared journal files", e);
        }
    }
}
