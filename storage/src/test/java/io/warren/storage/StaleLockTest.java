package io.warren.storage;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Locks that outlive their holder must not keep the store from opening. */
class StaleLockTest {
    @TempDir
    Path dir;

    @Test
    void chronicleWriteLockHeldByALivePidIsBroken() throws Exception {
        long id;
        try (MessageStore s = MessageStore.open(config(dir))) {
            id = s.newMessageId();
            publish(s, id, "", new byte[1], 1);
        }
        // What a broker killed while appending leaves when the restarted one gets the same PID (PID 1 in a
        // container): Chronicle's write lock taken by this very, living, process and never released.
        ChronicleSettings.apply();
        SingleChronicleQueue raw = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(Journal.ROLL_CYCLE).build();
        net.openhft.chronicle.wire.DocumentContext open = raw.createAppender().writingDocument();
        open.wire().bytes().writeInt(42); // never closed: lock held and an incomplete header left behind
        long t = System.nanoTime();
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertEquals(List.of(id), ids(s.recover(), 1));
            publish(s, s.newMessageId(), "", new byte[1], 1);
        }
        assertTrue(System.nanoTime() - t < 5_000_000_000L, "broke the lock after Chronicle's short timeout");
    }

    @Test
    void secondStoreOnTheSameDirectoryIsRefused() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertThrows(StorageException.class, () -> MessageStore.open(config(dir)));
        }
        MessageStore.open(config(dir)).close();
    }
}
