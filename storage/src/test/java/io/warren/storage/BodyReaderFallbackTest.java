package io.warren.storage;

import net.openhft.chronicle.queue.ExcerptTailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The read thread must not take Chronicle's word for "no record at this index" from a tailer it has kept
 * for a long time: lazy reads of recovered messages failed that way in the broker's restart tests
 * ({@code tailer.moveToIndex} returned false for records that were there). Here the tailers the reader
 * gets answer {@code moveToIndex} with false as often as asked, as that long-lived tailer did, and the
 * reads must still come back right — through a fresh tailer, or by walking the cycle file.
 */
class BodyReaderFallbackTest {
    @TempDir
    Path dir;

    /** Wraps real tailers; the first {@code misses} calls of moveToIndex (over all tailers) answer false. */
    private static ExcerptTailer flaky(ExcerptTailer real, AtomicInteger misses) {
        return (ExcerptTailer) Proxy.newProxyInstance(ExcerptTailer.class.getClassLoader(),
                new Class<?>[] {ExcerptTailer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("moveToIndex") && misses.getAndDecrement() > 0) return false;
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static byte[] body(long id) {
        return ("body-" + id + "-".repeat((int) (id % 97))).getBytes(StandardCharsets.UTF_8);
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

    /** Three files of records (a roll between each), 300 messages each. */
    private static List<Loc> fill(Journal journal) {
        List<Loc> out = new ArrayList<>();
        long id = 1;
        for (int file = 0; file < 3; file++) {
            journal.roll();
            for (int i = 0; i < 300; i++, id++) {
                journal.codec().writePublish(journal.begin(), new Write.Publish(id, ("m" + id).getBytes(), body(id),
                        new long[] {1}), -1);
                out.add(new Loc(id, journal.commit()));
                if (i % 10 == 0) {
                    journal.codec().writeIds(journal.begin(), RecordCodec.SETTLE, 2, new long[] {id});
                    journal.commit();
                }
            }
        }
        return out;
    }

    private void check(BodyReader reader, Loc l) throws Exception {
        StoredMessage m = read(reader, l.location());
        assertEquals(l.id(), m.messageId());
        assertArrayEquals(body(l.id()), m.body());
    }

    @Test
    void aLookupThatFailsThroughTheKeptTailerIsRetriedWithAFreshOne() throws Exception {
        try (Journal journal = Journal.open(dir)) {
            List<Loc> locs = fill(journal);
            AtomicInteger misses = new AtomicInteger();
            BodyReader reader = new BodyReader(journal, () -> flaky(journal.newTailer(), misses));
            Thread t = new Thread(reader, "test-reader");
            t.start();
            try {
                // warm the tailer up at the end of the last file, then ask for older files' records
                check(reader, locs.get(locs.size() - 1));
                for (int i = 0; i < locs.size(); i += 37) {
                    misses.set(1); // the kept tailer says "no record"; a fresh one would find it
                    check(reader, locs.get(i));
                }
                assertTrue(reader.fallbacks() > 0, "the fallback was used");
            } finally {
                reader.stop();
                t.join();
            }
        }
    }

    @Test
    void whenEveryIndexLookupFailsTheCycleFileIsWalked() throws Exception {
        try (Journal journal = Journal.open(dir)) {
            List<Loc> locs = fill(journal);
            AtomicInteger misses = new AtomicInteger();
            BodyReader reader = new BodyReader(journal, () -> flaky(journal.newTailer(), misses));
            Thread t = new Thread(reader, "test-reader");
            t.start();
            try {
                for (int i = locs.size() - 1; i >= 0; i -= 41) {
                    misses.set(Integer.MAX_VALUE); // Chronicle's index never answers
                    check(reader, locs.get(i));
                }
                // and in publish order (the stepping path) nothing needs a fallback
                misses.set(0);
                long before = reader.fallbacks();
                for (Loc l : locs) check(reader, l);
                assertEquals(before, reader.fallbacks(), "reads in order need no fallback");
            } finally {
                reader.stop();
                t.join();
            }
        }
    }

    @Test
    void aLocationThatIsNotThereIsStillReported() throws Exception {
        try (Journal journal = Journal.open(dir)) {
            List<Loc> locs = fill(journal);
            BodyReader reader = new BodyReader(journal);
            Thread t = new Thread(reader, "test-reader");
            t.start();
            try {
                long last = locs.get(locs.size() - 1).location();
                Exception e = assertThrows(Exception.class, () -> read(reader, last + 1000));
                assertInstanceOf(StorageException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("no record at"), e.getCause().getMessage());
                int gone = Journal.cycleOf(locs.get(0).location()) - 5;
                e = assertThrows(Exception.class, () -> read(reader, Journal.ROLL_CYCLE.toIndex(gone, 3)));
                assertTrue(e.getCause().getMessage().contains("its file is gone"), e.getCause().getMessage());
                check(reader, locs.get(5)); // and the reader still works
            } finally {
                reader.stop();
                t.join();
            }
        }
    }
}
