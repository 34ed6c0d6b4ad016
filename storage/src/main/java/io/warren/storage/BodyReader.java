package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The read thread: serves {@link MessageStore#read} so that a cold read from disk never delays a group
 * commit. It reads through one {@link SegmentReader}: a consumer draining a backlog asks for messages in
 * publish order, so the next record is usually already in the reader's window.
 *
 * <p>A read that fails (a damaged record, an I/O error) is tried once more with the window dropped and
 * the files reopened before it is reported; a retry that worked is logged.
 */
final class BodyReader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);
    /** {@code ahead}: no answer wanted, read ahead from {@code location} (see {@link ReadAhead}). */
    private record Request(long location, Executor executor, ReadCallback callback, boolean reset, boolean stop,
                           boolean ahead) {
    }

    private final SegmentReader segments;
    /** Requests in the order they were handed over; one element per hand-off (see {@link ExecutorBatches}). */
    private final LinkedBlockingQueue<List<Request>> requests = new LinkedBlockingQueue<>();
    private final ExecutorBatches<Request> staged = new ExecutorBatches<>(this::handOver);
    private volatile boolean exited;
    private final RecordReader reader = new RecordReader();
    /** Answers of the current batch by executor (identity: an event loop), in request order. */
    private final Map<Executor, List<Runnable>> answers = new java.util.IdentityHashMap<>();
    /** Hand-offs taken at once (each one or many requests). */
    private static final int MAX_BATCH = 256;
    private long fallbacks;
    /** Requests the read thread answered (not from {@link #ahead}); tests. */
    private volatile long served;
    private final ReadAhead ahead = new ReadAhead();
    /** This batch: where each record served ends, and the locations served (read thread only). */
    private final List<Long> servedEnds = new ArrayList<>();
    private final java.util.Set<Long> servedAt = new java.util.HashSet<>();
    /** Where the record {@link #readAt} just read ends, for reading on; -1: not worth it (a chunked body). */
    private long lastEnd = -1;
    private final Object resetsDone = new Object();
    private long resets;

    BodyReader(Path dir) {
        this.segments = new SegmentReader(dir);
    }

    /** Reads that worked only when tried again; tests and diagnostics. */
    long fallbacks() {
        return fallbacks;
    }

    /** Resets done so far (idle, or after deletions); tests wait on it. */
    long resets() {
        synchronized (resetsDone) {
            return resets;
        }
    }

    /** Tests: waits until more than {@code after} resets were done, {@code millis} at most. */
    boolean awaitResets(long after, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (resetsDone) {
            long left;
            while (resets <= after && (left = deadline - System.nanoTime()) > 0) {
                resetsDone.wait(Math.max(1, left / 1_000_000));
            }
            return resets > after;
        }
    }

    /** Requests the read thread answered itself (the others were read ahead); tests. */
    long servedByThread() {
        return served;
    }

    /** Messages read ahead and not taken yet; tests. */
    int readAhead() {
        return ahead.size();
    }

    /**
     * A message read ahead is answered at once (in a task on {@code executor}); others reach the read thread
     * together with the rest of that executor's requests, from a task on that executor.
     */
    void read(long location, Executor executor, ReadCallback callback) {
        ReadAhead.Entry e = ahead.take(location);
        if (e == null) {
            staged.add(executor, new Request(location, executor, callback, false, false, false));
            return;
        }
        StoredMessage m = e.message();
        try {
            executor.execute(() -> callback.done(m, null));
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            callback.done(m, null); // as a refused hand-off is: the caller's loop is closing
        }
        if (e.continueAt() >= 0) {
            staged.add(executor, new Request(e.continueAt(), executor, null, false, false, true));
        }
    }

    private void handOver(List<Request> handOff) {
        requests.add(handOff);
        // Lost the race with stop(): the read thread is gone and will not see these.
        if (exited && requests.remove(handOff)) {
            for (Request r : handOff) {
                r.executor().execute(() -> r.callback().done(null, new StorageException("message store closed")));
            }
        }
    }

    /** Files were deleted (or the store is idle): close the files the reader holds open. */
    void reset() {
        requests.add(List.of(new Request(-1, null, null, true, false, false)));
    }

    void stop() {
        requests.add(List.of(new Request(-1, null, null, false, true, false)));
    }

    @Override
    public void run() {
        List<Request> batch = new ArrayList<>();
        List<List<Request>> handOffs = new ArrayList<>();
        try {
            while (true) {
                try {
                    handOffs.add(requests.take());
                } catch (InterruptedException e) {
                    log.warn("storage reader was interrupted; ignoring");
                    continue;
                }
                Thread.interrupted();
                // Everything queued behind it too: a consumer draining a backlog asks for many at once,
                // and its loop then gets one task with all the answers instead of one task each.
                requests.drainTo(handOffs, MAX_BATCH - 1);
                for (List<Request> h : handOffs) batch.addAll(h);
                handOffs.clear();
                int i = 0;
                for (; i < batch.size() && !batch.get(i).stop(); i++) {
                    Request r = batch.get(i);
                    if (r.reset()) {
                        segments.reset();
                        synchronized (resetsDone) {
                            resets++;
                            resetsDone.notifyAll();
                        }
                    } else if (r.ahead()) {
                        servedEnds.add(r.location());
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
                readOn();
            }
        } finally {
            exited = true;
            segments.close();
            List<Request> h;
            while ((h = requests.poll()) != null) {
                for (Request r : h) {
                    if (r.callback() != null) deliver(r, null, new StorageException("message store closed"));
                }
            }
            flush();
        }
    }

    private void serve(Request r) {
        StoredMessage m;
        try {
            m = readAt(r.location());
        } catch (Throwable first) {
            // Drop the window and the open files: then try once more from scratch.
            segments.reset();
            try {
                m = readAt(r.location());
                fallbacks++;
                log.warn("read at {} failed ({}) and succeeded when tried again", describe(r.location()), first.toString());
            } catch (Throwable t) {
                segments.reset();
                if (t != first) t.addSuppressed(first);
                deliver(r, null, t instanceof StorageException ? t : new StorageException("read failed at " + describe(r.location()), t));
                return;
            }
        }
        deliver(r, m, null);
        servedAt.add(r.location());
        served++; // the read thread is the only writer
        if (lastEnd >= 0) servedEnds.add(lastEnd);
    }

    /**
     * After the answers went out: reads ahead from where this batch's reads ended, unless a read of this
     * batch started there (a consumer asking for a run of messages: only its last one reads on) or that
     * message is read ahead already.
     */
    private void readOn() {
        for (long from : servedEnds) {
            if (!servedAt.contains(from) && !ahead.holds(from)) {
                readAheadFrom(from);
            }
        }
        servedEnds.clear();
        servedAt.clear();
    }

    /**
     * Reads up to {@link ReadAhead#BATCH} records from {@code from} in its file and keeps the messages among
     * them; stops quietly at anything it cannot use (the end of what is written, a chunked body, damage:
     * a request for that message will report it). Holding one open file and window, this is cheap: the
     * records are usually in the window the last read filled.
     */
    private void readAheadFrom(long from) {
        int cycle = Journal.cycleOf(from);
        long offset = Journal.offsetOf(from);
        long[] locations = new long[ReadAhead.BATCH];
        StoredMessage[] messages = new StoredMessage[ReadAhead.BATCH];
        int kept = 0;
        int looked = 0;
        long held = 0;
        try {
            for (; looked < ReadAhead.BATCH; looked++) {
                if (segments.read(cycle, offset, reader) != SegmentReader.Found.RECORD) break;
                long location = Journal.location(cycle, offset);
                offset = segments.next();
                if (reader.type != RecordCodec.PUBLISH) continue;
                if (reader.chunks != 0 || !ahead.room(held + reader.bodyLength)) break;
                byte[] body = new byte[(int) reader.bodyLength];
                reader.copyData(body, 0);
                StoredMessage m = new StoredMessage(reader.messageId, reader.meta(), body);
                held += ReadAhead.bytesOf(m);
                locations[kept] = location;
                messages[kept++] = m;
            }
        } catch (IOException | RuntimeException e) {
            // a request for one of these messages reads (and reports) it
            log.debug("reading ahead from {} stopped: {}", describe(from), e.toString());
            looked = -1;
        }
        long continueAt = looked == ReadAhead.BATCH ? Journal.location(cycle, offset) : -1;
        for (int i = 0; i < kept; i++) {
            ahead.put(locations[i], messages[i], i == kept / 2 ? continueAt : -1);
        }
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

    private StoredMessage readAt(long location) throws IOException {
        load(location);
        if (reader.type != RecordCodec.PUBLISH) throw new StorageException("no message at " + describe(location));
        lastEnd = reader.chunks == 0 ? Journal.location(Journal.cycleOf(location), segments.next()) : -1;
        long messageId = reader.messageId;
        byte[] meta = reader.meta();
        byte[] body = new byte[(int) reader.bodyLength];
        int chunks = reader.chunks;
        if (chunks == 0) {
            reader.copyData(body, 0);
        } else {
            readChunks(messageId, reader.firstChunkIndex, chunks, body);
        }
        return new StoredMessage(messageId, meta, body);
    }

    /** A large body's chunks: written one after the other, just before their PUBLISH, in its segment. */
    private void readChunks(long messageId, long firstChunk, int chunks, byte[] body) throws IOException {
        long location = firstChunk;
        int at = 0;
        for (int seq = 0; seq < chunks; seq++) {
            load(location);
            if (reader.type != RecordCodec.BODY_CHUNK || reader.messageId != messageId || reader.chunkSeq != seq
                    || at + reader.dataLength > body.length) {
                throw new StorageException("body chunk " + seq + " of message " + messageId + " is damaged");
            }
            reader.copyData(body, at);
            at += reader.dataLength;
            location = Journal.location(Journal.cycleOf(location), segments.next());
        }
        if (at != body.length) throw new StorageException("body of message " + messageId + " is short");
    }

    private void load(long location) throws IOException {
        int segment = Journal.cycleOf(location);
        SegmentReader.Found found;
        try {
            found = segments.read(segment, Journal.offsetOf(location), reader);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new StorageException("no record at " + describe(location) + " (its file is gone)");
        }
        if (found != SegmentReader.Found.RECORD) {
            throw new StorageException("no intact record at " + describe(location) + " (" + found + ")");
        }
    }

    /** A location as {@code index (file @offset)}, for messages and logs. */
    private static String describe(long location) {
        return location + " (" + SegmentFiles.name(Journal.cycleOf(location)) + " @" + Journal.offsetOf(location) + ")";
    }
}
