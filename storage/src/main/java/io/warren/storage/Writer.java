package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The storage thread: the only thread that appends, syncs, rolls and deletes journal files.
 *
 * <p>Group commit: it waits for the first submitted write, takes everything else that is queued by then,
 * appends it all, syncs once (under {@link SyncPolicy.EveryBatch}) and completes the whole batch. While it
 * syncs, new writes queue up and form the next batch, so the number of syncs per second stays bounded by
 * the device and not by the publish rate. A batch in which nobody waits for a write (the broker's settles
 * and delivered marks carry no callback) is not synced on its own: it rides along with the next batch that
 * has a waiter, or is synced {@link #LAZY_SYNC_NANOS} later at the latest, and before any file is deleted.
 *
 * <p>Nobody interrupts this thread; it also clears any interrupt before touching files, because an
 * interrupted thread closes the journal's {@code FileChannel} ({@code ClosedByInterruptException}).
 */
final class Writer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Writer.class);
    private static final int MAX_BATCH = 8192;
    /** A cycle holding no more than its opening MARK is not worth rolling away from. */
    private static final long EMPTY_CYCLE_BYTES = 64;
    /**
     * Under {@link SyncPolicy.EveryBatch}, writes nobody waits for are synced with the next batch that has a
     * waiter, or this long after the last sync at the latest (a consumer draining a backlog, no publisher).
     */
    static final long LAZY_SYNC_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Idle this long, the writer lets go of what it holds for writing (see {@link #releaseIfIdle}). */
    static final long IDLE_RELEASE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The longest the writer waits for a {@link MessageStore#holdWrites() hold} before it takes its batch. */
    static final long HOLD_MAX_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final Journal journal;
    private final RecordCodec codec;
    private final StoreConfig config;
    private final DiskMonitor disk;
    private final CycleLedger ledger;
    private final LocationTable locations;
    private final Map<Long, int[]> fanout;
    private final LinkedBlockingQueue<Pending> queue;
    /** Writes nobody waits on, handed over without waking this thread (see {@link #takeQuiet}). */
    private final java.util.Queue<List<Pending>> quiet;
    /** Quiet writes taken, to be appended once every write submitted before them is in a batch. */
    private final List<Pending> carried = new ArrayList<>();
    private final Runnable onFilesDeleted;
    private final CountDownLatch started = new CountDownLatch(1);
    private final long syncIntervalNanos;
    /** At most this long between an append and its sync when nobody waits for it (see {@link #someoneWaits}). */
    private final long lazySyncNanos;
    private volatile Throwable startFailure;
    private volatile Throwable failure;
    private volatile boolean exited;
    private boolean closing;
    private boolean ledgerChanged;
    private final IdRecordBatch ids = new IdRecordBatch();
    private final WriteBacklog backlog;
    private long lastSyncNanos = System.nanoTime();
    private long lastBatchNanos = System.nanoTime();
    private boolean released;
    private volatile long publishes;
    private final Runnable onIdle;
    private final AtomicInteger holds;
    private volatile Thread awaitingRelease;
    private volatile long holdMaxNanos = HOLD_MAX_NANOS; // tests lengthen it to observe a hold

    Writer(Journal journal, StoreConfig config, DiskMonitor disk, Replayer.State state,
           LinkedBlockingQueue<Pending> queue, java.util.Queue<List<Pending>> quiet, WriteBacklog backlog,
           Runnable onFilesDeleted, Runnable onIdle, AtomicInteger holds) {
        this.quiet = quiet;
        this.onIdle = onIdle;
        this.holds = holds;
        this.backlog = backlog;
        this.journal = journal;
        this.codec = journal.codec();
        this.config = config;
        this.disk = disk;
        this.ledger = state.ledger();
        this.locations = state.locations();
        this.fanout = state.fanout();
        this.queue = queue;
        this.onFilesDeleted = onFilesDeleted;
        this.syncIntervalNanos = config.syncPolicy() instanceof SyncPolicy.Interval i
                ? TimeUnit.MILLISECONDS.toNanos(i.millis()) : Long.MAX_VALUE;
        this.lazySyncNanos = syncIntervalNanos == Long.MAX_VALUE ? LAZY_SYNC_NANOS : syncIntervalNanos;
    }

    /** Blocks until the writer has opened its first cycle; rethrows what stopped it. */
    void awaitStarted() throws InterruptedException {
        started.await();
        if (startFailure != null) throw new StorageException("journal writer failed to start", startFailure);
    }

    /** Publishes appended since open (with {@link Journal#syncCount()}: messages per sync, for the log). */
    long publishCount() {
        return publishes;
    }

    boolean exited() {
        return exited;
    }

    Throwable failure() {
        return failure;
    }

    /** Makes the writer stop after what is queued before this call. */
    Pending closeTask() {
        return new Pending(null, () -> closing = true, null, null);
    }

    @Override
    public void run() {
        try {
            // Every start writes into a fresh cycle: whatever a crash left at the end of the last one is
            // only ever read, never appended after.
            journal.roll();
            ledger.addCycle(journal.currentCycle());
            journal.sync();
            reclaim();
        } catch (Throwable t) {
            startFailure = t;
            exited = true;
            journal.close();
            started.countDown();
            return;
        }
        started.countDown();
        try {
            loop();
        } finally {
            shutdown();
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (!closing) {
            if (Thread.interrupted()) log.warn("storage writer was interrupted; ignoring");
            Pending first = poll();
            disk.refreshIfDue();
            maybeRollByAge();
            if (first != null && holds.get() > 0) awaitRelease();
            takeBatch(first, batch);
            if (!batch.isEmpty()) {
                process(batch);
                lastBatchNanos = System.nanoTime();
                released = false;
                backlog.done(bytesOf(batch));
                batch.clear();
            } else {
                if (journal.hasUnsynced() && System.nanoTime() - lastSyncNanos >= lazySyncNanos) syncOrFail();
                releaseIfIdle();
            }
            if (ledgerChanged) reclaim();
        }
    }

    /**
     * The next batch: {@code first} (null after a timeout), what else is queued, and the quiet writes. The quiet
     * ones are taken before the queue is drained and appended only when that drain emptied it: a settle or
     * delivered mark is submitted after the publish it refers to, so that publish is then in this batch or
     * an earlier one, never behind it in the journal.
     */
    private void takeBatch(Pending first, List<Pending> batch) {
        takeQuiet();
        if (first != null) batch.add(first);
        if (first != null || !carried.isEmpty()) {
            int room = MAX_BATCH - batch.size();
            if (queue.drainTo(batch, room) < room) {
                batch.addAll(carried);
                carried.clear();
            }
        }
    }

    /**
     * Quiet writes (settles and delivered marks from event loops, see {@link MessageStore#submitFromLoop}) do
     * not wake this thread: they ride along with the next batch that something else wakes it for (a publish,
     * a control task), or go at the next timeout of {@link #poll} (200 ms at most). Nobody waits for them,
     * and waking a thread costs about as much as writing them.
     */
    private void takeQuiet() {
        List<Pending> writes;
        while ((writes = quiet.poll()) != null) carried.addAll(writes);
    }

    /**
     * After {@link #IDLE_RELEASE_NANOS} without a write, the journal gives back a write buffer a large record
     * grew, and the read thread closes its files through {@code onIdle}.
     */
    private void releaseIfIdle() {
        if (!released && !journal.hasUnsynced() && System.nanoTime() - lastBatchNanos >= IDLE_RELEASE_NANOS) {
            released = true;
            journal.releaseBuffer();
            onIdle.run();
        }
    }

    /**
     * A submitter is in the middle of a run of writes meant for one batch (see {@link MessageStore#holdWrites}):
     * wait for its release, or {@link #HOLD_MAX_NANOS} at most, so that the run shares one sync.
     */
    private void awaitRelease() {
        long deadline = System.nanoTime() + holdMaxNanos;
        awaitingRelease = Thread.currentThread();
        long left;
        while (holds.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
        awaitingRelease = null;
    }

    /** Test hooks: how long a hold may delay a batch; whether the writer is waiting for one now. */
    void holdMaxNanos(long nanos) {
        holdMaxNanos = nanos;
    }

    boolean awaitingRelease() {
        return awaitingRelease != null;
    }

    /** Any thread: the last hold was released. */
    void holdsReleased() {
        Thread t = awaitingRelease;
        if (t != null) LockSupport.unpark(t);
    }

    static long bytesOf(List<Pending> batch) {
        long n = 0;
        for (Pending p : batch) {
            if (p.write != null) n += p.write.approximateBytes();
        }
        return n;
    }

    private Pending poll() {
        long wait = Math.min(disk.nanosUntilDue(), TimeUnit.MILLISECONDS.toNanos(200));
        if (journal.hasUnsynced()) {
            wait = Math.min(wait, Math.max(0, lazySyncNanos - (System.nanoTime() - lastSyncNanos)));
        }
        try {
            return queue.poll(Math.max(wait, 1), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            log.warn("storage writer was interrupted; ignoring");
            return null;
        }
    }

    private void process(List<Pending> batch) {
        boolean appended = false;
        Throwable writeError = null;
        for (Pending p : batch) {
            if (p.control != null) {
                writeError = writeIds(writeError);
                runControl(p);
                continue;
            }
            if (failure != null || writeError != null) {
                p.failure = new StorageException("journal unavailable", failure != null ? failure : writeError);
                continue;
            }
            if (p.write instanceof Write.Settle || p.write instanceof Write.Delivered) {
                ids.add(p); // written with the others of its queue, before the sync (see IdRecordBatch)
                appended = true;
                if (ids.full()) writeError = writeIds(null);
                continue;
            }
            if (p.write instanceof Write.DeleteQueue) {
                writeError = writeIds(null);
                if (writeError != null) {
                    p.failure = new StorageException("journal unavailable", writeError);
                    continue;
                }
            }
            try {
                apply(p);
                p.appended = true;
                appended = true;
            } catch (DiskFullException e) {
                p.failure = e;
            } catch (Throwable t) {
                journal.abort();
                writeError = t;
                p.failure = new StorageException("journal write failed", t);
                log.error("journal write failed; failing the rest of the batch and moving to a new file", t);
            }
        }
        writeError = writeIds(writeError);
        // Synced now if somebody waits; else only written out, so that the read thread finds every record
        // whose location it is handed, and synced with a later batch.
        Throwable durableError = null;
        if (appended && syncIntervalNanos == Long.MAX_VALUE && someoneWaits(batch)) {
            durableError = syncOrFail();
        } else if (appended) {
            durableError = flushOrFail();
        }
        if (durableError != null) {
            for (Pending p : batch) {
                if (p.appended) p.failure = new StorageException("journal sync failed", durableError);
            }
        }
        Completions.complete(batch);
        if (journal.hasUnsynced() && System.nanoTime() - lastSyncNanos >= lazySyncNanos) {
            syncOrFail();
        }
        if (writeError != null) rollAfterError();
    }

    /**
     * Whether a write of the batch has a callback, i.e. somebody waits for it to be durable (a publisher
     * confirm). A batch of writes nobody waits on (the broker's settles and delivered marks) needs no sync
     * of its own: it rides along with the next one, or with the idle sync ({@link #loop}).
     */
    private static boolean someoneWaits(List<Pending> batch) {
        for (Pending p : batch) {
            if (p.appended && p.callback != null) return true;
        }
        return false;
    }

    /**
     * Writes the gathered delivered marks and settles, one record per queue and kind; fails them instead
     * if the journal already failed in this batch ({@code writeError}).
     * @return the batch's write error: {@code writeError}, or what failed here
     */
    private Throwable writeIds(Throwable writeError) {
        if (ids.isEmpty()) return writeError;
        Throwable error = writeError;
        if (error == null && failure != null) error = failure;
        if (error == null) {
            try {
                for (Map.Entry<Long, IdRecordBatch.Ids> e : ids.delivered().entrySet()) {
                    delivered(e.getKey(), e.getValue().toArray());
                }
                for (Map.Entry<Long, IdRecordBatch.Ids> e : ids.settled().entrySet()) {
                    settle(e.getKey(), e.getValue().toArray());
                }
            } catch (Throwable t) {
                journal.abort();
                error = t;
                log.error("journal write failed; failing the rest of the batch and moving to a new file", t);
            }
        }
        for (Pending p : ids.pendings()) {
            if (error == null) {
                p.appended = true;
            } else {
                p.failure = new StorageException("journal write failed", error);
            }
        }
        ids.clear();
        return error == failure ? writeError : error;
    }

    private void runControl(Pending p) {
        try {
            p.control.run();
        } catch (Throwable t) {
            p.failure = t;
        }
    }

    private void apply(Pending p) {
        if (journal.cycleBytes() >= config.rollBytes()) roll();
        Write w = p.write;
        if (w instanceof Write.Publish pub) {
            p.location = publish(pub);
        } else if (w instanceof Write.DeleteQueue d) {
            deleteQueue(d);
        }
    }

    private long publish(Write.Publish pub) {
        disk.reserve(pub.approximateBytes());
        publishes++;
        byte[] body = pub.body();
        int chunks = RecordCodec.chunkCount(body.length);
        long firstChunk = -1;
        for (int i = 0; i < chunks; i++) {
            int off = i * RecordCodec.CHUNK_SIZE;
            long idx = codec.writeChunk(journal, pub.messageId(), i, body, off, Math.min(RecordCodec.CHUNK_SIZE, body.length - off));
            if (i == 0) firstChunk = idx;
        }
        long location = codec.writePublish(journal, pub, firstChunk);
        locations.put(pub.messageId(), location);
        if (pub.queueIds().length > 1) fanout.put(pub.messageId(), new int[] {pub.queueIds().length});
        ledger.published(Journal.cycleOf(location), pub.queueIds());
        return location;
    }

    private void settle(long queueId, long[] messageIds) {
        if (journal.cycleBytes() >= config.rollBytes()) roll();
        int here = Journal.cycleOf(codec.writeIds(journal, RecordCodec.SETTLE, queueId, messageIds));
        for (long id : messageIds) {
            long loc = locations.get(id);
            if (loc < 0) continue;
            ledger.settled(here, Journal.cycleOf(loc), queueId);
            int[] refs = fanout.get(id);
            if (refs == null || --refs[0] == 0) {
                if (refs != null) fanout.remove(id);
                locations.remove(id);
            }
        }
        ledgerChanged = true;
    }

    private void delivered(long queueId, long[] messageIds) {
        if (journal.cycleBytes() >= config.rollBytes()) roll();
        int here = Journal.cycleOf(codec.writeIds(journal, RecordCodec.DELIVERED, queueId, messageIds));
        for (long id : messageIds) {
            long loc = locations.get(id);
            if (loc >= 0) ledger.referenced(here, Journal.cycleOf(loc));
        }
    }

    private void deleteQueue(Write.DeleteQueue d) {
        ledger.queueDeleted(Journal.cycleOf(codec.writeDeleteQueue(journal, d.queueId())), d.queueId());
        ledgerChanged = true;
    }

    private void maybeRollByAge() {
        if (failure == null && journal.cycleBytes() > EMPTY_CYCLE_BYTES
                && journal.cycleAgeNanos() >= TimeUnit.MILLISECONDS.toNanos(config.rollIntervalMillis())) {
            try {
                roll();
            } catch (Throwable t) {
                fail(t);
            }
        }
    }

    /** Package-visible through {@link MessageStore} for tests: start a new cycle now. */
    void roll() {
        journal.roll();
        ledger.addCycle(journal.currentCycle());
        ledgerChanged = true;
    }

    /** Test hook: roll, then delete what became deletable, before the caller hears back. */
    void rollAndReclaim() {
        roll();
        reclaim();
    }

    private void rollAfterError() {
        try {
            roll();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private Throwable syncOrFail() {
        try {
            journal.sync();
            lastSyncNanos = System.nanoTime();
            return null;
        } catch (Throwable t) {
            // After a failed fsync the kernel may have dropped the dirty pages; a retry could "succeed"
            // without the data. Refuse further writes; a restart recovers from what is really on disk.
            fail(t);
            return t;
        }
    }

    private Throwable flushOrFail() {
        try {
            journal.flush();
            return null;
        } catch (Throwable t) {
            fail(t); // as after a failed sync: what reached the file is unknown
            return t;
        }
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
            log.error("storage failed; refusing further writes until restart", t);
        }
    }

    private void reclaim() {
        ledgerChanged = false;
        List<Integer> gone = ledger.takeDeletable(journal.currentCycle());
        if (gone.isEmpty()) return;
        // The records that made these files deletable (settles, deletions) must be on disk before the files go.
        if (journal.hasUnsynced() && failure == null && syncOrFail() != null) return;
        for (int c : gone) {
            try {
                journal.delete(c);
            } catch (Exception e) {
                log.warn("could not delete settled journal file {}: {}", SegmentFiles.name(c), e.toString());
            }
        }
        if (log.isDebugEnabled()) log.debug("deleted settled journal files {}", gone.stream().map(SegmentFiles::name).toList());
        onFilesDeleted.run();
    }

    private void shutdown() {
        // Quiet writes submitted before the close: written too, or their messages would come back.
        takeQuiet();
        if (!carried.isEmpty() && failure == null) {
            List<Pending> rest = new ArrayList<>(carried);
            carried.clear();
            try {
                process(rest);
            } catch (Throwable t) {
                log.warn("final quiet writes failed", t);
            }
        }
        try {
            if (journal.hasUnsynced() && failure == null) journal.sync();
        } catch (Throwable t) {
            log.warn("final journal sync failed", t);
        }
        exited = true;
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        takeQuiet();
        rest.addAll(carried);
        for (Pending p : rest) p.failure = new StorageException("message store closed");
        Completions.complete(rest);
        journal.close();
    }
}
