package io.warren.storage;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * The read thread: serves {@link MessageStore#read} so that a cold read from disk never delays a group
 * commit. It keeps one Chronicle tailer; a consumer draining a backlog asks for messages in publish order,
 * so the next location is usually where the tailer already is, or a few records ahead (settles and other
 * records sit in between), and is reached by stepping forward instead of an index lookup.
 *
 * <p>Any other location goes through Chronicle's {@code moveToIndex}. A tailer that has lived through
 * rolls, deletions and reads all over the journal carries state of its own (the store it holds, the
 * shortcuts it keys on its last move, the queue's cached directory listing); if a lookup through it fails,
 * the read is not failed at once: the reader drops that tailer, refreshes the directory listing and looks
 * again with a fresh one, and as a last resort walks the location's cycle file from its start. Only a
 * location that none of these finds is reported as missing. Each fallback that had to be used is logged.
 */
final class BodyReader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);
    /** Step forward up to this many records before falling back to Chronicle's index. */
    private static final long MAX_STEP = 64;

    private record Request(long location, Executor executor, ReadCallback callback, boolean reset, boolean stop) {
    }

    private final Journal journal;
    private final Supplier<ExcerptTailer> tailers;
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final RecordReader reader = new RecordReader();
    private ExcerptTailer tailer;
    /** Answers of the current batch by executor (identity: an event loop), in request order. */
    private final Map<Executor, List<Runnable>> answers = new java.util.IdentityHashMap<>();
    private static final int MAX_BATCH = 256;
    private long fallbacks;
    /** Set when a lookup already tried every way there is; a retry of the read would only repeat it. */
    private boolean exhausted;

    BodyReader(Journal journal) {
        this(journal, journal::newTailer);
    }

    /** @param tailers where tailers come from (tests wrap them) */
    BodyReader(Journal journal, Supplier<ExcerptTailer> tailers) {
        this.journal = journal;
        this.tailers = tailers;
    }

    /** Reads that needed a fallback (fresh tailer or cycle scan); tests and diagnostics. */
    long fallbacks() {
        return fallbacks;
    }

    void read(long location, Executor executor, ReadCallback callback) {
        requests.add(new Request(location, executor, callback, false, false));
    }

    /** Files were deleted: let go of the tailer so no deleted file stays mapped. */
    void reset() {
        requests.add(new Request(-1, null, null, true, false));
    }

    void stop() {
        requests.add(new Request(-1, null, null, false, true));
    }

    @Override
    public void run() {
        List<Request> batch = new ArrayList<>();
        try {
            while (true) {
                try {
                    batch.add(requests.take());
                } catch (InterruptedException e) {
                    log.warn("storage reader was interrupted; ignoring");
                    continue;
                }
                Thread.interrupted();
                // Everything queued behind it too: a consumer draining a backlog asks for many at once,
                // and its loop then gets one task with all the answers instead of one task each.
                requests.drainTo(batch, MAX_BATCH - 1);
                int i = 0;
                for (; i < batch.size() && !batch.get(i).stop(); i++) {
                    Request r = batch.get(i);
                    if (r.reset()) {
                        closeTailer();
                    } else {
                        serve(r);
                    }
                }
                boolean stop = i < batch.size();
                for (i++; stop && i < batch.size(); i++) {
                    Request r = batch.get(i);
                    if (r.callback() != null) deliver(r, null, new StorageException("message store closed"));
                }
                batch.clear();
                flush();
                if (stop) break;
            }
        } finally {
            closeTailer();
            Request r;
            while ((r = requests.poll()) != null) {
                if (r.callback() != null) deliver(r, null, new StorageException("message store closed"));
            }
            flush();
        }
    }

    private void serve(Request r) {
        StoredMessage m;
        exhausted = false;
        try {
            m = readAt(r.location());
        } catch (Throwable first) {
            // Drop the tailer: after a failure its position is unknown. Then try once more from scratch.
            closeTailer();
            if (exhausted) {
                deliver(r, null, first instanceof StorageException ? first
                        : new StorageException("read failed at " + describe(r.location()), first));
                return;
            }
            try {
                m = readAt(r.location());
                fallbacks++;
                log.warn("read at {} failed ({}) and succeeded with a fresh tailer", describe(r.location()), first.toString());
            } catch (Throwable t) {
                closeTailer();
                if (t != first) t.addSuppressed(first);
                deliver(r, null, t instanceof StorageException ? t : new StorageException("read failed at " + describe(r.location()), t));
                return;
            }
        }
        deliver(r, m, null);
    }

    /** Collects an answer; {@link #flush} hands them out, one task per executor, in request order. */
    private void deliver(Request r, StoredMessage m, Throwable t) {
        answers.computeIfAbsent(r.executor(), e -> new ArrayList<>()).add(() -> r.callback().done(m, t));
    }

    private void flush() {
        for (Map.Entry<Executor, List<Runnable>> e : answers.entrySet()) {
            List<Runnable> tasks = e.getValue();
            try {
                e.getKey().execute(() -> {
                    for (Runnable task : tasks) {
                        try {
                            task.run();
                        } catch (RuntimeException x) {
                            log.warn("read callback failed", x);
                        }
                    }
                });
            } catch (RuntimeException x) {
                log.warn("read callbacks dropped: their executor refused them ({})", x.toString());
            }
        }
        answers.clear();
    }

    private StoredMessage readAt(long location) {
        moveTo(location);
        long messageId;
        byte[] meta;
        long bodyLength;
        int chunks;
        long firstChunk;
        byte[] body;
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || dc.index() != location) {
                throw new StorageException("no record at " + describe(location)
                        + (dc.isPresent() ? " (found " + describe(dc.index()) + ")" : ""));
            }
            if (!reader.load(dc.wire().bytes()) || reader.type != RecordCodec.PUBLISH) {
                throw new StorageException("no intact message at " + location);
            }
            messageId = reader.messageId;
            meta = reader.meta();
            bodyLength = reader.bodyLength;
            chunks = reader.chunks;
            firstChunk = reader.firstChunkIndex;
            body = new byte[(int) bodyLength];
            if (chunks == 0) reader.copyData(body, 0);
        }
        if (chunks > 0) readChunks(messageId, firstChunk, chunks, body);
        return new StoredMessage(messageId, meta, body);
    }

    private void readChunks(long messageId, long firstChunk, int chunks, byte[] body) {
        moveTo(firstChunk);
        int at = 0;
        for (int seq = 0; seq < chunks; seq++) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent() || !reader.load(dc.wire().bytes()) || reader.type != RecordCodec.BODY_CHUNK
                        || reader.messageId != messageId || reader.chunkSeq != seq
                        || at + reader.dataLength > body.length) {
                    throw new StorageException("body chunk " + seq + " of message " + messageId + " is damaged");
                }
                reader.copyData(body, at);
                at += reader.dataLength;
            }
        }
        if (at != body.length) throw new StorageException("body of message " + messageId + " is short");
    }

    private void moveTo(long location) {
        if (tailer == null) tailer = tailers.get();
        long here = tailer.index();
        if (here == location) return;
        // here < 0: a tailer that has no position yet (Chronicle answers Long.MIN_VALUE-like values there, and
        // location - here would overflow into "a few steps ahead"); it is moved by index instead
        if (here >= 0 && location > here && location - here <= MAX_STEP
                && Journal.cycleOf(here) == Journal.cycleOf(location)) {
            while (tailer.index() < location) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) break;
                }
            }
            if (tailer.index() == location) return;
        }
        if (tailer.moveToIndex(location)) return;
        lookUpAgain(location);
    }

    /**
     * Chronicle's lookup through the tailer we kept said there is no record at {@code location}. Before
     * believing it: a fresh directory listing and a fresh tailer, then a walk of the cycle file.
     */
    private void lookUpAgain(long location) {
        closeTailer();
        journal.queue().refreshDirectoryListing();
        tailer = tailers.get();
        if (tailer.moveToIndex(location)) {
            fallbacks++;
            log.warn("journal lookup of {} failed through the reader's tailer and succeeded with a fresh one",
                    describe(location));
            return;
        }
        int cycle = Journal.cycleOf(location);
        if (tailer.moveToCycle(cycle)) {
            while (tailer.index() < location && Journal.cycleOf(tailer.index()) == cycle) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) break;
                }
            }
            if (tailer.index() == location) {
                fallbacks++;
                log.warn("journal lookup of {} failed through Chronicle's index and succeeded by walking the file",
                        describe(location));
                return;
            }
        }
        exhausted = true;
        throw new StorageException("no record at location " + describe(location)
                + (java.nio.file.Files.exists(CycleFiles.path(journal.dir(), cycle)) ? "" : " (its file is gone)"));
    }

    /** A location as {@code index (file #sequence)}, for messages and logs. */
    private static String describe(long location) {
        return location + " (" + CycleFiles.name(Journal.cycleOf(location)) + " #"
                + Journal.ROLL_CYCLE.toSequenceNumber(location) + ")";
    }

    private void closeTailer() {
        if (tailer != null) {
            try {
                tailer.close();
            } catch (RuntimeException e) {
                log.debug("closing tailer", e);
            }
            tailer = null;
        }
    }
}
