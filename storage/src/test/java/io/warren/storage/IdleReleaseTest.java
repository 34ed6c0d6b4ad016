package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** An idle store lets go of the journal blocks it mapped, so they leave the process's resident memory. */
class IdleReleaseTest {
    @TempDir
    Path dir;

    @Test
    void anIdleStoreUnmapsItsJournalFileAndMapsItAgainForTheNextWrite() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir))) {
            long a = s.newMessageId();
            long locA = publish(s, a, "m", "first".getBytes(), 1);
            assertEquals("first", new String(read(s, locA).body()));
            assertFalse(mappedJournalFiles().isEmpty(), "the file being written is mapped");

            // The writer lets go after two idle seconds; give it time for that on a loaded machine.
            long deadline = System.currentTimeMillis() + 20_000;
            String maps;
            do {
                Thread.sleep(100);
                maps = mappedJournalFiles();
            } while (!maps.isEmpty() && System.currentTimeMillis() < deadline);
            assertEquals("", maps, "journal files still mapped after the store went idle");

            long b = s.newMessageId();
            long locB = publish(s, b, "m", "second".getBytes(), 1);
            assertEquals("second", new String(read(s, locB).body()));
            assertEquals("first", new String(read(s, locA).body()));
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertEquals(2, s.recover().messageCount());
        }
    }

    private String mappedJournalFiles() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains(dir.toString()) && line.endsWith(".cq4")) sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
