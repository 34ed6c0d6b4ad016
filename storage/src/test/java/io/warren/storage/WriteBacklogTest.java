package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A disk that stops keeping up (here: the writer thread held in a control task, as a sync that hangs
 * would hold it): the writes waiting for it are counted in bytes, the listener hears when they pass the
 * bound and when the writer has caught up to half of it, and nothing submitted meanwhile is lost.
 */
class WriteBacklogTest {
    @TempDir
    Path dir;

    @Test
    void aStalledWriterReportsItsBacklogOnceAndItsRecoveryOnce() throws Exception {
        long bound = 1L << 20;
        LinkedBlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
        try (MessageStore s = MessageStore.open(config(dir).withWriteBacklog(bound))) {
            s.addWriteBacklogListener((behind, bytes) -> changes.add(behind), DIRECT);
            assertEquals(Boolean.FALSE, changes.poll(5, TimeUnit.SECONDS));

            CountDownLatch diskStuck = new CountDownLatch(1);
            CountDownLatch writerHeld = new CountDownLatch(1);
            s.onWriterThread(() -> {
                writerHeld.countDown();
                try {
                    diskStuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, DIRECT, null);
            assertTrue(writerHeld.await(10, TimeUnit.SECONDS));

            byte[] body = new byte[64 * 1024];
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            long[] ids = new long[32]; // 2 MiB: twice the bound
            for (int i = 0; i < ids.length; i++) {
                ids[i] = s.newMessageId();
                writes.add(writeAsync(s, new Write.Publish(ids[i], new byte[0], body, new long[] {1})));
            }
            assertEquals(Boolean.TRUE, changes.poll(5, TimeUnit.SECONDS), "the backlog passed the bound");
            assertTrue(s.writeBacklogBytes() > bound);
            assertTrue(changes.isEmpty(), "told once, not per write");
            assertFalse(writes.get(0).isDone(), "the disk is stuck: nothing is written yet");

            diskStuck.countDown();
            for (CompletableFuture<Long> w : writes) {
                w.get(30, TimeUnit.SECONDS);
            }
            assertEquals(Boolean.FALSE, changes.poll(10, TimeUnit.SECONDS), "caught up");
            assertEquals(0, s.writeBacklogBytes());
            for (int i = 0; i < ids.length; i++) {
                assertEquals(body.length, read(s, writes.get(i).get()).body().length);
            }
        }
    }

    @Test
    void theBoundMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> config(dir).withWriteBacklog(0));
    }
}
