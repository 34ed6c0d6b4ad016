package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The read thread finds every record the writer handed out a location for: in order (a backlog drained,
 * served from the read-ahead window), in any order, across segments, with bodies split into chunks, and
 * while the segment it reads from is still being written.
 */
class BodyReaderTest {
    @TempDir
    Path dir;

    private static byte[] body(long id) {
        int size = id % 50 == 0 ? RecordCodec.CHUNK_SIZE * 2 + 17 : (int) (id % 997) * 7;
        byte[] b = new byte[size];
        new Random(id).nextBytes(b);
        return b;
    }

    private static StoredMessage read(BodyReader reader, long location) throws Exception {
        CompletableFuture<StoredMessage> f = new CompletableFuture<>();
        reader.read(location, Runnable::run, (m, err) -> {
            if (err != null) f.completeExceptionally(err); else f.complete(m);
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    private record Loc(long id, long location) {
    }

    /** Three segments (a roll before each), 300 messages each, settles in between; all written out. */
    private static List<Loc> fill(Journal journal, long firstId) throws Exception {
        List<Loc> out = new ArrayList<>();
        long id = firstId;
        for (int file = 0; file < 3; file++) {
            journal.roll();
            for (int i = 0; i < 300; i++, id++) {
                out.add(new Loc(id, publish(journal, id)));
                if (i % 10 == 0) journal.codec().writeIds(journal, RecordCodec.SETTLE, 2, new long[] {id});
            }
        }
        journal.flush();
        return out;
    }

    /** As the writer does: a large body's chunks first, then the PUBLISH that points at the first. */
    private static long publish(Journal journal, long id) {
        byte[] body = body(id);
        int chunks = RecordCodec.chunkCount(body.length);
        long first = -1;
        for (int c = 0; c < chunks; c++) {
            int off = c * RecordCodec.CHUNK_SIZE;
            long at = journal.codec().writeChunk(journal, id, c, body, off, Math.min(RecordCodec.CHUNK_SIZE, body.length - off));
            if (c == 0) first = at;
        }
        return journal.codec().writePublish(journal, new Write.Publish(id, ("m" + id).getBytes(StandardCharsets.UTF_8),
                body, new long[] {1}), first);
    }

    private static void check(BodyReader reader, Loc l) throws Exception {
        StoredMessage m = read(reader, l.location());
        assertEquals(l.id(), m.messageId());
        assertEquals("m" + l.id(), new String(m.meta(), StandardCharsets.UTF_8));
        assertArrayEquals(body(l.id()), m.body(), "body of " + l.id());
    }

    private interface WithReader {
        void run(BodyReader reader) throws Exception;
    }

    /** Runs {@code test} against a read thread on {@link #dir}, stopped afterwards. */
    private void withReader(WithReader test) throws Exception {
        BodyReader reader = new BodyReader(dir);
        Thread t = new Thread(reader, "test-reader");
        t.start();
        try {
            test.run(reader);
        } finally {
            reader.stop();
            t.join();
        }
    }

    @Test
    void everyRecordIsFoundInOrderInAnyOrderAndAfterAReset() throws Exception {
        try (Journal journal = Journal.open(dir)) {
            List<Loc> locs = fill(journal, 1);
            withReader(reader -> {
                for (Loc l : locs) check(reader, l);
                List<Loc> shuffled = new ArrayList<>(locs);
                Collections.shuffle(shuffled, new Random(7));
                for (Loc l : shuffled.subList(0, 200)) check(reader, l);
                reader.reset();
                check(reader, locs.get(0));
                check(reader, locs.get(locs.size() - 1));
                assertEquals(0, reader.fallbacks(), "no read needed a second try");
            });
        }
    }

    @Test
    void aConsumerReadingInOrderIsMostlyAnsweredFromWhatWasReadAhead() throws Exception {
        try (Journal journal = Journal.open(dir)) {
            List<Loc> locs = fill(journal, 1);
            withReader(reader -> {
                for (Loc l : locs) check(reader, l);
                long byThread = reader.servedByThread();
                // Misses: the first, the chunked bodies (every 50th, never read ahead) and the one after
                // each, a new file; everything else was read ahead before it was asked for.
                assertTrue(byThread <= locs.size() / 10, byThread + " of " + locs.size() + " reads went to the read thread");
                assertTrue(reader.readAhead() <= ReadAhead.MAX_ENTRIES, "bounded: " + reader.readAhead());
                // Asked again (a requeued message): read again, and right
                check(reader, locs.get(5));
                assertEquals(byThread + 1, reader.servedByThread());
            });
        }
    }

    @Test
    void readingAheadHoldsAtMostItsBoundsOfMessagesNobodyAsksFor() throws Exception {
        try (Journal journal = Journal.open(dir)) {
            List<Loc> locs = fill(journal, 1);
            withReader(reader -> {
                // every 3rd message only: the ones skipped stay held until they age out
                for (int i = 0; i < locs.size(); i += 3) {
                    check(reader, locs.get(i));
                    assertTrue(reader.readAhead() <= ReadAhead.MAX_ENTRIES, "bounded: " + reader.readAhead());
                }
                assertTrue(reader.servedByThread() < locs.size() / 3, "still read ahead: " + reader.servedByThread());
            });
        }
    }

    @Test
    void recordsWrittenIntoAPreparedFileAfterTheReaderLookedAreFoundAtTheFirstTry() throws Exception {
        try (Journal journal = Journal.open(dir)) {
            journal.roll();
            long first = publish(journal, 1);
            journal.flush();
            // as SegmentPreparer leaves a file: zeros beyond what was written, so a window read near the end
            // holds zeros where the next records will be
            try (RandomAccessFile f = new RandomAccessFile(SegmentFiles.path(dir, Journal.cycleOf(first)).toFile(), "rw")) {
                f.setLength(4 << 20);
            }
            withReader(reader -> {
                check(reader, new Loc(1, first));
                for (long id = 2; id <= 300; id++) {
                    Loc l = new Loc(id, publish(journal, id));
                    journal.flush();
                    check(reader, l);
                }
                assertEquals(0, reader.fallbacks(), "no read needed a second try (nor logged a warning)");
            });
        }
    }

    @Test
    void recordsWrittenAfterTheReaderLookedAreFoundToo() throws Exception {
        try (Journal journal = Journal.open(dir)) {
            journal.roll();
            withReader(reader -> {
                for (long id = 1; id <= 400; id++) {
                    // the window read at the previous record ended at the file's end then
                    Loc l = new Loc(id, publish(journal, id));
                    journal.flush();
                    check(reader, l);
                }
            });
        }
    }

    @Test
    void aDamagedOrMissingRecordIsReportedAndTheReaderGoesOn() throws Exception {
        List<Loc> locs;
        try (Journal journal = Journal.open(dir)) {
            locs = fill(journal, 1);
        }
        Loc damaged = locs.get(10);
        try (RandomAccessFile f = new RandomAccessFile(SegmentFiles.path(dir, Journal.cycleOf(damaged.location())).toFile(), "rw")) {
            f.seek(Journal.offsetOf(damaged.location()) + 12);
            f.write(f.read() ^ 0x55);
        }
        withReader(reader -> {
            ExecutionException e = assertThrows(ExecutionException.class, () -> read(reader, damaged.location()));
            assertInstanceOf(StorageException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("no intact record at"), e.getCause().getMessage());
            long beyond = Journal.location(Journal.cycleOf(locs.get(locs.size() - 1).location()), 1L << 30);
            e = assertThrows(ExecutionException.class, () -> read(reader, beyond));
            assertTrue(e.getCause().getMessage().contains("no intact record at"), e.getCause().getMessage());
            int gone = Journal.cycleOf(locs.get(0).location()) + 50;
            e = assertThrows(ExecutionException.class, () -> read(reader, Journal.location(gone, 0)));
            assertTrue(e.getCause().getMessage().contains("its file is gone"), e.getCause().getMessage());
            check(reader, locs.get(11)); // and the reader still works
            check(reader, locs.get(5));
        });
    }
}
