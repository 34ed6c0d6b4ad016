package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Delivered marks and settles of one writer batch share one record per queue, and replay as before. */
class IdRecordBatchTest {
    @TempDir
    Path dir;

    @Test
    void oneBatchWritesOneRecordPerQueueAndKindAndKeepsItsOrderAroundADeletion() throws Exception {
        long[] m = new long[21];
        try (MessageStore s = MessageStore.open(config(dir))) {
            // Hold the writer so that everything below lands in its next batch.
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            s.onWriterThread(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, DIRECT, null);
            assertTrue(held.await(10, TimeUnit.SECONDS));

            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                m[i] = s.newMessageId();
                long[] queues = i <= 10 ? new long[] {1} : new long[] {1, 2};
                writes.add(writeAsync(s, new Write.Publish(m[i], new byte[0], new byte[] {(byte) i}, queues)));
            }
            for (int i = 1; i <= 10; i++) writes.add(writeAsync(s, new Write.Delivered(1, m[i])));
            for (int i = 1; i <= 5; i++) writes.add(writeAsync(s, new Write.Settle(1, m[i])));
            writes.add(writeAsync(s, new Write.Settle(2, m[11])));
            writes.add(writeAsync(s, new Write.DeleteQueue(2)));
            for (int i = 11; i <= 15; i++) writes.add(writeAsync(s, new Write.Settle(1, m[i])));
            release.countDown();
            for (CompletableFuture<Long> w : writes) w.get(30, TimeUnit.SECONDS);
        }
        // One DELIVERED for queue 1; settles: queue 1 and queue 2 before the deletion, queue 1 after it.
        assertEquals(1, JournalDump.count(dir, RecordCodec.DELIVERED));
        assertEquals(3, JournalDump.count(dir, RecordCodec.SETTLE));

        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(List.of(m[6], m[7], m[8], m[9], m[10], m[16], m[17], m[18], m[19], m[20]), ids(r, 1));
            for (int i = 0; i < 5; i++) assertTrue(r.queue(1).get(i).redelivered(), "delivered before the restart");
            for (int i = 5; i < 10; i++) assertFalse(r.queue(1).get(i).redelivered(), "never delivered");
            assertEquals(List.of(), ids(r, 2));
        }
    }

    @Test
    void aBatchNobodyWaitsOnIsNotSyncedOnItsOwnButOneWithACallbackIs() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir))) {
            long[] m = new long[10];
            for (int i = 0; i < m.length; i++) {
                m[i] = s.newMessageId();
                publish(s, m[i], "", new byte[1], 1);
            }
            assertEquals(1, syncsAcrossOneBatch(s, () -> {
                for (long id : m) s.submit(new Write.Delivered(1, id), null, null);
                writeAsync(s, new Write.Settle(1, m[0])); // a settle somebody waits for
            }), "a waiter: synced at once");
            assertEquals(0, syncsAcrossOneBatch(s, () -> {
                for (int i = 1; i < m.length; i++) s.submit(new Write.Settle(1, m[i]), null, null);
            }), "nobody waits: rides along with a later sync");
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertEquals(0, s.recover().messageCount(), "the unsynced settles were written all the same");
        }
    }

    /**
     * Holds the writer, lets {@code submit} queue writes behind a marker task, releases it, and returns the
     * syncs the batch holding the marker and those writes made (read on the writer thread, in the marker
     * and in its callback, which runs after the batch's sync decision).
     */
    private static long syncsAcrossOneBatch(MessageStore s, Runnable submit) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        s.onWriterThread(() -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, DIRECT, null);
        assertTrue(held.await(10, TimeUnit.SECONDS));
        long[] atMarker = new long[1];
        CompletableFuture<Long> after = new CompletableFuture<>();
        s.onWriterThread(() -> atMarker[0] = s.syncCount(), DIRECT, (loc, err) -> after.complete(s.syncCount()));
        submit.run();
        release.countDown();
        return after.get(30, TimeUnit.SECONDS) - atMarker[0];
    }
}
