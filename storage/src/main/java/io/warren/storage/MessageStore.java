package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Persistent messages of one broker, in a journal of segment files under {@code <data-dir>/messages}.
 *
 * <p>Threading: every method may be called from any thread, including Netty event loops, and none of
 * them waits for disk except {@link #open} and {@link #close}. Writes go to one storage thread that
 * appends and syncs them in batches; reads go to one read thread. Outcomes come back on the executor the
 * caller names (its own event loop, typically).
 *
 * <p>Storage knows message ids, queue ids, bytes and journal locations; what a queue or a message means
 * is the broker's business. See {@code storage/README.md} for the file format and the promises.
 */
public final class MessageStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageStore.class);

    private final Journal journal;
    private final DiskMonitor disk;
    private final WriteBacklog backlog;
    private final Writer writer;
    private final BodyReader reader;
    private final Thread writerThread;
    private final Thread readerThread;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<List<Pending>> quiet = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ExecutorBatches<Pending> unhurried = new ExecutorBatches<>(this::enqueueQuietly);
    private final AtomicLong lastMessageId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger holds = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Recovered recovered;

    private final long openStartNanos = System.nanoTime();
    private long journalOpenedNanos;
    private long replayedNanos;

    private MessageStore(StoreConfig config) throws IOException {
        LegacyImport.importIfPresent(config.dir()); // a journal of the Chronicle format becomes segments, once
        journal = Journal.open(config.dir());
        journalOpenedNanos = System.nanoTime();
        Replayer.State state;
        try {
            // a segment ends with a record past rollBytes
            journal.prepareAhead(config.rollBytes() + (4L << 20),
                    config.freeSpace() != null ? config.freeSpace() : DiskMonitor.usableSpace(config.dir()));
            state = new Replayer(journal).run();
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        replayedNanos = System.nanoTime();
        recovered = state.recovered();
        lastMessageId = new AtomicLong(state.maxMessageId());
        journal.highestIdSource(lastMessageId::get); // ids stay unique even after the files holding the highest go
        disk = new DiskMonitor(config);
        reader = new BodyReader(config.dir());
        backlog = new WriteBacklog(config.writeBacklogBytes());
        writer = new Writer(journal, config, disk, state, queue, quiet, backlog, reader::reset, reader::reset, holds);
        writerThread = new Thread(writer, "warren-storage-writer");
        readerThread = new Thread(reader, "warren-storage-reader");
        writerThread.setDaemon(true);
        readerThread.setDaemon(true);
    }

    /**
     * Opens the journal, replays it (blocking; call at broker start, not on an event loop) and starts the
     * storage threads. A damaged tail is skipped and logged; the store opens anyway.
     */
    public static MessageStore open(StoreConfig config) throws IOException {
        MessageStore s = new MessageStore(config);
        s.writerThread.start();
        try {
            s.writer.awaitStarted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while opening the message store");
        } catch (RuntimeException e) {
            s.reader.stop();
            throw e;
        }
        s.readerThread.start();
        long now = System.nanoTime();
        log.info("message store {} open in {} ms (journal {} ms, replay {} ms, first file {} ms)", config.dir(),
                (now - s.openStartNanos) / 1_000_000, (s.journalOpenedNanos - s.openStartNanos) / 1_000_000,
                (s.replayedNanos - s.journalOpenedNanos) / 1_000_000, (now - s.replayedNanos) / 1_000_000);
        return s;
    }

    /**
     * What the journal held at {@link #open}: each queue's live messages in order. Hand-over, not a query:
     * the first call returns it and lets the store forget it (it can be large); later calls throw.
     */
    public Recovered recover() {
        Recovered r = recovered;
        if (r == null) throw new IllegalStateException("recover() was already called");
        recovered = null;
        return r;
    }

    /** A fresh message id, above every id in the journal. Thread-safe and cheap. */
    public long newMessageId() {
        return lastMessageId.incrementAndGet();
    }

    /**
     * Hands a write to the storage thread. The callback runs once on {@code executor}: after the write is
     * durable under the configured {@link SyncPolicy}, or with the reason it failed. Writes are appended
     * in the order they are submitted (per submitting thread, and globally in the order they enter).
     *
     * @param callback may be {@code null} for writes nobody waits on (settles, delivered marks)
     */
    public void submit(Write write, Executor executor, WriteCallback callback) {
        Objects.requireNonNull(write, "write");
        if (callback != null) Objects.requireNonNull(executor, "executor");
        enqueue(new Pending(write, null, executor, callback));
    }

    /**
     * A write nobody waits on (a settle, a delivered mark) from an event loop. The loop's writes are gathered
     * until its next task and handed over together without waking the writer, which takes them with its
     * next batch, or 200 ms later at most (measured: a consumer acking one message at a time spent 13% of its
     * event loop's time waking the writer). It lands later in the journal than a plain {@link #submit}
     * would put it, never before a write submitted earlier; a crash may lose it (its message is then
     * delivered again, as when an ack was still on its way), a close writes it.
     *
     * @param loop the calling thread's own executor, whose next task hands the batch over; null: at once
     */
    public void submitFromLoop(Write write, Executor loop) {
        if (loop == null) {
            submit(write, null, null);
        } else {
            unhurried.add(loop, new Pending(Objects.requireNonNull(write, "write"), null, null, null));
        }
    }

    private void enqueueQuietly(List<Pending> writes) {
        if (closed.get() || writer.failure() != null) return; // nobody waits on these
        long bytes = Writer.bytesOf(writes);
        backlog.added(bytes);
        quiet.add(writes);
        if (writer.exited() && quiet.remove(writes)) backlog.done(bytes); // lost the race with close()
    }

    /**
     * The calling thread is about to submit several writes that should share one batch and one sync (an
     * event loop handling one socket read that carries several persistent publishes). Until the matching
     * {@link #releaseWrites()}, the writer, once woken, waits for it a little (at most
     * {@link Writer#HOLD_MAX_NANOS}) before taking its batch, instead of syncing the first write alone and
     * the rest after it. Calls nest across threads; every hold must be released.
     */
    public void holdWrites() {
        holds.incrementAndGet();
    }

    /** Ends a {@link #holdWrites()}. */
    public void releaseWrites() {
        if (holds.decrementAndGet() == 0) writer.holdsReleased();
    }

    /** Test hook: the writer, see {@link #holdWrites()}. */
    Writer writer() {
        return writer;
    }

    /** Runs {@code task} on the storage thread between batches; test and maintenance hook. */
    void onWriterThread(Runnable task, Executor executor, WriteCallback callback) {
        enqueue(new Pending(null, task, executor, callback));
    }

    /** Test hook: start a new journal file now and delete files that became deletable. */
    void roll(Executor executor, WriteCallback callback) {
        onWriterThread(writer::rollAndReclaim, executor, callback);
    }

    private void enqueue(Pending p) {
        if (closed.get()) {
            failNow(p, new StorageException("message store closed"));
            return;
        }
        Throwable f = writer.failure();
        if (f != null && p.write != null) {
            failNow(p, new StorageException("message store failed", f));
            return;
        }
        if (p.write != null) backlog.added(p.write.approximateBytes());
        queue.add(p);
        // Lost the race with close(): the writer is gone and will not see this one.
        if (writer.exited() && queue.remove(p)) {
            if (p.write != null) backlog.done(p.write.approximateBytes());
            failNow(p, new StorageException("message store closed"));
        }
    }

    private static void failNow(Pending p, Throwable t) {
        if (p.callback == null) return;
        p.failure = t;
        try {
            p.executor.execute(() -> Completions.run(p));
        } catch (RuntimeException e) {
            log.warn("storage callback dropped: {}", e.toString());
        }
    }

    /**
     * Reads a stored message (meta and body) back, on the read thread; the callback runs on
     * {@code executor}. {@code location} comes from a publish's {@link WriteCallback} or from
     * {@link #recover()}. Reading in publish order is the fast path.
     */
    public void read(long location, Executor executor, ReadCallback callback) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(callback, "callback");
        if (closed.get()) {
            executor.execute(() -> callback.done(null, new StorageException("message store closed")));
            return;
        }
        reader.read(location, executor, callback);
    }

    /** True while free space is below the alarm level: the broker should block publishers. */
    public boolean diskAlarm() {
        return disk.alarm();
    }

    /** Free bytes in the journal's file system at the last measurement. */
    public long freeBytes() {
        return disk.freeBytes();
    }

    /** Calls {@code listener} on {@code executor} now with the current state, then on every change. */
    public void addDiskAlarmListener(DiskAlarmListener listener, Executor executor) {
        disk.addListener(listener, executor);
    }

    /**
     * Calls {@code listener} on {@code executor} now with the current state, then whenever the writes waiting
     * for the disk pass {@link StoreConfig#writeBacklogBytes()} or fall back to half of it.
     */
    public void addWriteBacklogListener(WriteBacklogListener listener, Executor executor) {
        backlog.addListener(listener, executor);
    }

    /** Bytes submitted and not yet written (and synced, if every batch syncs). */
    public long writeBacklogBytes() {
        return backlog.bytes();
    }

    /** Journal syncs so far (tests, metrics). */
    /** Tests: the read thread's resets so far, and a wait for the next ones (see {@link BodyReader#awaitResets}). */
    long readerResets() {
        return reader.resets();
    }

    boolean awaitReaderResets(long after, long millis) throws InterruptedException {
        return reader.awaitResets(after, millis);
    }

    long syncCount() {
        return journal.syncCount();
    }

    /** Writes waiting for the storage thread; a broker may apply back-pressure when this grows. */
    public int pendingWrites() {
        return queue.size();
    }

    /** Finishes what was submitted before, syncs, and stops the storage threads. Blocking. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        queue.add(writer.closeTask());
        join(writerThread);
        log.info("message store {} closed: {} publishes and {} syncs since open", journal.dir(),
                writer.publishCount(), journal.syncCount());
        reader.stop();
        join(readerThread);
    }

    private static void join(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
