package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** A hold (an event loop in the middle of a read with several publishes) makes them share one sync. */
class HoldWritesTest {
    @TempDir
    Path dir;

    @Test
    void writesSubmittedUnderAHoldShareOneBatchAndOneSync() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir))) {
            s.writer().holdMaxNanos(TimeUnit.SECONDS.toNanos(30)); // the real bound is 200 µs: too short to observe
            long before = s.syncCount();
            s.holdWrites();
            CompletableFuture<Long> a = writeAsync(s, new Write.Publish(s.newMessageId(), new byte[0], new byte[10], new long[] {1}));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!s.writer().awaitingRelease()) {
                assertTrue(System.nanoTime() < deadline, "the writer, woken by the first write, waits for the hold");
                Thread.onSpinWait();
            }
            assertFalse(a.isDone(), "nothing is written while the hold lasts");
            CompletableFuture<Long> b = writeAsync(s, new Write.Publish(s.newMessageId(), new byte[0], new byte[10], new long[] {1}));
            s.releaseWrites();
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
            assertEquals(1, s.syncCount() - before, "both writes in one batch, one sync");
        }
    }

    @Test
    void aHoldNobodyReleasesDelaysABatchOnlyBriefly() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir))) {
            s.holdWrites(); // never released: the writer goes on after its bound
            long id = s.newMessageId();
            long loc = publish(s, id, "m", "body".getBytes(), 1);
            assertEquals("body", new String(read(s, loc).body()));
        }
    }
}
