package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class ReclamationTest {
    @TempDir
    Path dir;

    private StoreConfig smallFiles() {
        return config(dir).withRoll(1 << 20, 3_600_000);
    }

    @Test
    void drainedQueueGivesItsFilesBack() throws Exception {
        try (MessageStore s = MessageStore.open(smallFiles())) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long id = s.newMessageId();
                publish(s, id, "", new byte[100 << 10], 1);
                ids.add(id);
            }
            assertTrue(cycles(dir).size() >= 4, "rolled by size: " + cycles(dir));
            for (long id : ids.subList(0, 39)) write(s, new Write.Settle(1, id));
            roll(s);
            // The first file still holds nothing live... but the last message keeps its own file.
            List<Integer> left = cycles(dir);
            assertTrue(left.size() >= 2, "the file with the live message stays: " + left);
            write(s, new Write.Settle(1, ids.get(39)));
            roll(s);
            assertEquals(1, cycles(dir).size(), "only the file being written remains: " + cycles(dir));
        }
    }

    /** Message ids never repeat, even when every file that held the highest ones is gone. */
    @Test
    void idsKeepRisingAfterTheFilesHoldingThemAreDeleted() throws Exception {
        long highest;
        try (MessageStore s = MessageStore.open(smallFiles())) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long id = s.newMessageId();
                publish(s, id, "", new byte[100 << 10], 1);
                ids.add(id);
            }
            for (long id : ids) write(s, new Write.Settle(1, id));
            roll(s);
            roll(s);
            assertEquals(1, cycles(dir).size(), "every file with a message is gone: " + cycles(dir));
            highest = ids.get(ids.size() - 1);
        }
        try (MessageStore s = MessageStore.open(smallFiles())) {
            assertTrue(s.newMessageId() > highest, "a new id must not reuse " + highest);
        }
    }

    @Test
    void aFileWithLiveMessagesIsNeverDeleted() throws Exception {
        long a, b;
        try (MessageStore s = MessageStore.open(smallFiles())) {
            int c1 = cycles(dir).get(0);
            a = s.newMessageId();
            publish(s, a, "", new byte[10], 1);
            roll(s);
            b = s.newMessageId();
            publish(s, b, "", new byte[10], 1);
            write(s, new Write.Settle(1, b));
            roll(s);
            List<Integer> left = cycles(dir);
            assertTrue(left.contains(c1), "file of the live message kept: " + left);
            assertEquals(2, left.size(), "the settled file went: " + left);
        }
        try (MessageStore s = MessageStore.open(smallFiles())) {
            assertEquals(List.of(a), ids(s.recover(), 1));
        }
    }

    @Test
    void settleRecordsOutliveThePublishesTheySettle() throws Exception {
        long a, b;
        int c2;
        try (MessageStore s = MessageStore.open(smallFiles())) {
            a = s.newMessageId();
            b = s.newMessageId();
            publish(s, a, "", new byte[10], 1);
            publish(s, b, "", new byte[10], 1);
            roll(s);
            c2 = cycles(dir).get(cycles(dir).size() - 1);
            write(s, new Write.Settle(1, b));
            roll(s);
            // c2 holds no message, but its settle of b is needed while b's file exists.
            assertTrue(cycles(dir).contains(c2), "settle file kept: " + cycles(dir));
        }
        try (MessageStore s = MessageStore.open(smallFiles())) {
            assertEquals(List.of(a), ids(s.recover(), 1), "settled b must not come back");
            write(s, new Write.Settle(1, a));
            roll(s);
            assertEquals(1, cycles(dir).size(), "all settled: only the current file: " + cycles(dir));
        }
        try (MessageStore s = MessageStore.open(smallFiles())) {
            assertEquals(0, s.recover().messageCount());
        }
    }

    @Test
    void deletedFilesAreNotKeptMapped() throws Exception {
        try (MessageStore s = MessageStore.open(smallFiles())) {
            long id = s.newMessageId();
            long loc = publish(s, id, "", new byte[1000], 1);
            read(s, loc);
            roll(s);
            write(s, new Write.Settle(1, id));
            roll(s);
            assertEquals(1, cycles(dir).size(), "files: " + cycles(dir));
            long deadline = System.currentTimeMillis() + 5_000;
            String maps;
            do {
                maps = mappedDeleted();
                if (maps.isEmpty()) break;
                Thread.sleep(20);
            } while (System.currentTimeMillis() < deadline);
            assertEquals("", maps, "deleted journal files still mapped");
        }
    }

    private String mappedDeleted() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains(dir.toString()) && line.contains("(deleted)")) sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
