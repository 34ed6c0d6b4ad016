package io.warren.storage;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The read thread: serves {@link MessageStore#read} so that a cold read from disk never delays a group
 * commit. It keeps one Chronicle tailer; a consumer draining a backlog asks for messages in publish order,
 * so the next location is usually where the tailer already is, or a few records ahead (settles and other
 * records sit in between), and is reached by stepping forward instead of an index lookup.
 */
final class BodyReader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);
    /** Step forward up to this many records before falling back to Chronicle's index. */
    private static final long MAX_STEP = 64;

    private record Request(long location, Executor executor, ReadCallback callback, boolean reset, boolean stop) {
    }

    private final Journal journal;
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final RecordReader reader = new RecordReader();
    private ExcerptTailer tailer;

    BodyReader(Journal journal) {
        this.journal = journal;
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
        try {
            while (true) {
                Request r;
                try {
                    r = requests.take();
                } catch (InterruptedException e) {
                    log.warn("storage reader was interrupted; ignoring");
                    continue;
                }
                Thread.interrupted();
                if (r.stop()) break;
                if (r.reset()) {
                    closeTailer();
                    continue;
                }
                serve(r);
            }
        } finally {
            closeTailer();
            Request r;
            while ((r = requests.poll()) != null) {
                if (r.callback() != null) deliver(r, null, new StorageException("message store closed"));
            }
        }
    }

    private void serve(Request r) {
        StoredMessage m;
        try {
            m = readAt(r.location());
        } catch (Throwable t) {
            // Drop the tailer: after a failure its position is unknown.
            closeTailer();
            deliver(r, null, t instanceof StorageException ? t : new StorageException("read failed at " + r.location(), t));
            return;
        }
        deliver(r, m, null);
    }

    private static void deliver(Request r, StoredMessage m, Throwable t) {
        try {
            r.executor().execute(() -> r.callback().done(m, t));
        } catch (RuntimeException e) {
            log.warn("read callback dropped: its executor refused it ({})", e.toString());
        }
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
            if (!dc.isPresent() || dc.index() != location) throw new StorageException("no record at " + location);
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
        if (tailer == null) tailer = journal.newTailer();
        long here = tailer.index();
        if (here == location) return;
        if (location > here && location - here <= MAX_STEP
                && Journal.cycleOf(here) == Journal.cycleOf(location)) {
            while (tailer.index() < location) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) break;
                }
            }
            if (tailer.index() == location) return;
        }
        if (!tailer.moveToIndex(location)) throw new StorageException("no record at location " + location);
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
