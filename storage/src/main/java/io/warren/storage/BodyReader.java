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
    private record Request(long location, Executor executor, ReadCallback callback, boolean reset, boolean stop) {
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

    /** Requests from one executor reach the read thread together, from a task on that executor. */
    void read(long location, Executor executor, ReadCallback callback) {
        staged.add(executor, new Request(location, executor, callback, false, false));
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
        requests.add(List.of(new Request(-1, null, null, true, false)));
    }

    void stop() {
        requests.add(List.of(new Request(-1, null, null, false, true)));
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
