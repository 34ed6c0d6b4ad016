package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class MessageStoreTest {
    @TempDir
    Path dir;

    @Test
    void publishReadBackAndRecoverAfterReopen() throws Exception {
        long a, b, c;
        long locA;
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertTrue(s.recover().queues().isEmpty());
            a = s.newMessageId();
            b = s.newMessageId();
            c = s.newMessageId();
            locA = publish(s, a, "meta-a", "body-a".getBytes(), 1);
            publish(s, b, "meta-b", "body-b".getBytes(), 1, 2);
            publish(s, c, "meta-c", new byte[0], 2);
            StoredMessage m = read(s, locA);
            assertEquals(a, m.messageId());
            assertEquals("meta-a", new String(m.meta()));
            assertEquals("body-a", new String(m.body()));
            write(s, new Write.Delivered(1, a));
            write(s, new Write.Settle(2, b));
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(List.of(a, b), ids(r, 1));
            assertEquals(List.of(c), ids(r, 2));
            assertTrue(r.queue(1).get(0).redelivered());
            assertFalse(r.queue(1).get(1).redelivered());
            assertEquals("meta-b", new String(r.queue(1).get(1).meta()));
            assertEquals(0, r.queue(2).get(0).bodySize());
            assertEquals(3, r.messageCount());
            assertEquals("body-a", new String(read(s, r.queue(1).get(0).location()).body()));
            assertTrue(s.newMessageId() > c);
            assertThrows(IllegalStateException.class, s::recover);
        }
    }

    @Test
    void groupCommitSharesSyncsAndCompletesOnTheCallersExecutorInOrder() throws Exception {
        java.util.concurrent.ExecutorService loop = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "fake-event-loop"));
        try (MessageStore s = MessageStore.open(config(dir))) {
            long syncsBefore = s.syncCount();
            int n = 2000;
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(n);
            java.util.List<Long> completed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean wrongThread = new java.util.concurrent.atomic.AtomicBoolean();
            for (int i = 0; i < n; i++) {
                long id = s.newMessageId();
                s.submit(new Write.Publish(id, new byte[8], new byte[100], new long[] {7}), loop, (loc, err) -> {
                    if (err != null || loc < 0) wrongThread.set(true);
                    if (!Thread.currentThread().getName().equals("fake-event-loop")) wrongThread.set(true);
                    completed.add(id);
                    done.countDown();
                });
            }
            assertTrue(done.await(30, java.util.concurrent.TimeUnit.SECONDS));
            assertFalse(wrongThread.get());
            java.util.List<Long> sorted = new java.util.ArrayList<>(completed);
            java.util.Collections.sort(sorted);
            assertEquals(sorted, completed, "completions in submission order");
            long syncs = s.syncCount() - syncsBefore;
            assertTrue(syncs >= 1 && syncs < n / 4, "group commit: " + syncs + " syncs for " + n + " publishes");
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void fanOutStoresTheBodyOnceAndLivesUntilEveryQueueSettles() throws Exception {
        byte[] body = new byte[1 << 20];
        new java.util.Random(1).nextBytes(body);
        long id;
        try (MessageStore s = MessageStore.open(config(dir))) {
            id = s.newMessageId();
            publish(s, id, "m", body, 1, 2, 3);
            write(s, new Write.Settle(1, id));
            write(s, new Write.Settle(3, id));
        }
        assertEquals(1, JournalDump.count(dir, RecordCodec.PUBLISH));
        long journalBytes = JournalDump.payloadBytes(dir);
        assertTrue(journalBytes < 2 * body.length, "body stored once: " + journalBytes);
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(List.of(), ids(r, 1));
            assertEquals(List.of(id), ids(r, 2));
            assertEquals(List.of(), ids(r, 3));
            assertArrayEquals(body, read(s, r.queue(2).get(0).location()).body());
            write(s, new Write.Settle(2, id));
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertEquals(0, s.recover().messageCount());
        }
    }

    @Test
    void deleteQueueDropsEverythingInItButNotOtherQueues() throws Exception {
        long a, b;
        try (MessageStore s = MessageStore.open(config(dir))) {
            a = s.newMessageId();
            b = s.newMessageId();
            publish(s, a, "", new byte[10], 1);
            publish(s, b, "", new byte[10], 1, 2);
            write(s, new Write.DeleteQueue(1));
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(List.of(), ids(r, 1));
            assertEquals(List.of(b), ids(r, 2));
        }
    }

    @Test
    void bodiesOfZeroOneMebibyteAnd128MebibytesRoundTrip() throws Exception {
        byte[] empty = new byte[0];
        byte[] mib = new byte[1 << 20];
        byte[] big = new byte[128 << 20];
        java.util.Random rnd = new java.util.Random(42);
        rnd.nextBytes(mib);
        rnd.nextBytes(big);
        long[] loc = new long[3];
        try (MessageStore s = MessageStore.open(config(dir))) {
            loc[0] = publish(s, s.newMessageId(), "0", empty, 1);
            loc[1] = publish(s, s.newMessageId(), "1", mib, 1);
            loc[2] = publish(s, s.newMessageId(), "2", big, 1);
            assertArrayEquals(empty, read(s, loc[0]).body());
            assertArrayEquals(mib, read(s, loc[1]).body());
            assertArrayEquals(big, read(s, loc[2]).body());
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(3, r.queue(1).size());
            assertEquals(big.length, r.queue(1).get(2).bodySize());
            assertArrayEquals(big, read(s, r.queue(1).get(2).location()).body());
            assertArrayEquals(mib, read(s, r.queue(1).get(1).location()).body());
            assertArrayEquals(empty, read(s, r.queue(1).get(0).location()).body());
        }
    }

    @Test
    void intervalPolicyCompletesAndKeepsDataAcrossCleanClose() throws Exception {
        StoreConfig cfg = config(dir).withSyncPolicy(SyncPolicy.interval(50));
        long id;
        try (MessageStore s = MessageStore.open(cfg)) {
            id = s.newMessageId();
            publish(s, id, "x", "y".getBytes(), 5);
        }
        try (MessageStore s = MessageStore.open(cfg)) {
            assertEquals(List.of(id), ids(s.recover(), 5));
        }
    }

    @Test
    void writesAfterCloseFailInsteadOfHanging() throws Exception {
        MessageStore s = MessageStore.open(config(dir));
        s.close();
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> publish(s, 1, "", new byte[1], 1));
        assertInstanceOf(StorageException.class, e.getCause());
    }

    @Test
    void readOfAnUnknownLocationFails() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir))) {
            long loc = publish(s, s.newMessageId(), "", new byte[3], 1);
            assertThrows(RuntimeException.class, () -> read(s, loc + 1000));
            assertEquals(3, read(s, loc).body().length);
        }
    }

    @Test
    void intervalPolicyCompletesBeforeAnySync() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir).withSyncPolicy(SyncPolicy.interval(3_600_000)))) {
            long before = s.syncCount();
            for (int i = 0; i < 10; i++) publish(s, s.newMessageId(), "", new byte[10], 1);
            assertEquals(before, s.syncCount(), "completions came from the page cache, no sync yet");
        }
    }

    @Test
    void settleOfSeveralIdsInOneRecord() throws Exception {
        long[] ids = new long[5];
        try (MessageStore s = MessageStore.open(config(dir))) {
            for (int i = 0; i < 5; i++) {
                ids[i] = s.newMessageId();
                publish(s, ids[i], "", new byte[1], 9);
            }
            write(s, new Write.Settle(9, new long[] {ids[0], ids[2], ids[4]}));
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertEquals(List.of(ids[1], ids[3]), ids(s.recover(), 9));
        }
    }

    @Test
    void readsInAnyOrderAcrossInterleavedRecordsAndFiles() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir))) {
            int n = 400;
            long[] ids = new long[n];
            long[] locs = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = s.newMessageId();
                locs[i] = publish(s, ids[i], "m" + i, ("b" + i).getBytes(), 1);
                if (i % 3 == 0) write(s, new Write.Delivered(1, ids[i]));
                if (i % 7 == 0) write(s, new Write.Settle(2, ids[i])); // unknown to queue 2: harmless
                if (i == n / 2) roll(s);
            }
            for (int i = 0; i < n; i++) assertEquals("b" + i, new String(read(s, locs[i]).body()));
            for (int i = n - 1; i >= 0; i -= 13) assertEquals("m" + i, new String(read(s, locs[i]).meta()));
        }
    }

    @Test
    void marksAndSettlesFromALoopReachTheJournalTogetherWhenItsTaskRuns() throws Exception {
        java.util.ArrayDeque<Runnable> loopTasks = new java.util.ArrayDeque<>();
        java.util.concurrent.Executor loop = loopTasks::add;
        long a, b, c;
        try (MessageStore s = MessageStore.open(config(dir))) {
            a = s.newMessageId();
            b = s.newMessageId();
            c = s.newMessageId();
            publish(s, a, "m", "a".getBytes(), 1);
            publish(s, b, "m", "b".getBytes(), 1);
            publish(s, c, "m", "c".getBytes(), 1);
            s.submitFromLoop(new Write.Delivered(1, a), loop);
            s.submitFromLoop(new Write.Settle(1, a), loop);
            s.submitFromLoop(new Write.Delivered(1, b), loop);
            assertEquals(1, loopTasks.size(), "one hand-off task for the loop's run");
            write(s, new Write.Settle(1, c)); // a plain write overtakes the staged ones: they only move later
            loopTasks.poll().run();
            s.submitFromLoop(new Write.Settle(1, b), null); // off a loop: at once
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(0, r.messageCount(), "every settle reached the journal, the staged ones too");
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            long d = s.newMessageId();
            publish(s, d, "m", "d".getBytes(), 2);
            s.submitFromLoop(new Write.Delivered(2, d), loop);
            loopTasks.poll().run();
            write(s, new Write.Delivered(2, s.newMessageId())); // a marker behind it: the staged mark is written
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(1, r.messageCount());
            assertTrue(r.queue(2).get(0).redelivered(), "the staged delivered mark was written");
        }
    }
}
