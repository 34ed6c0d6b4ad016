package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The journal is written and read without memory mappings, so it never adds to the broker's resident memory;
 * an idle store's read thread closes the files it opened, and opens them again for the next read.
 */
class IdleReleaseTest {
    @TempDir
    Path dir;

    @Test
    void theJournalIsNeverMappedAndAnIdleReaderClosesItsFiles() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir))) {
            long a = s.newMessageId();
            long locA = publish(s, a, "m", "first".getBytes(), 1);
            assertEquals("first", new String(read(s, locA).body()));
            assertEquals("", mappedJournalFiles());
            assertEquals(2, openJournalFiles().size(), "the writer's and the reader's: " + openJournalFiles());

            // The writer tells the reader after two idle seconds; give it time for that on a loaded machine.
            assertTrue(s.awaitReaderResets(s.readerResets(), 20_000), "the reader was told the store is idle");
            assertEquals(1, openJournalFiles().size(), "only the file being written stays open: " + openJournalFiles());

            long b = s.newMessageId();
            long locB = publish(s, b, "m", "second".getBytes(), 1);
            assertEquals("second", new String(read(s, locB).body()));
            assertEquals("first", new String(read(s, locA).body()));
            assertEquals("", mappedJournalFiles());
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertEquals(2, s.recover().messageCount());
        }
    }

    private String mappedJournalFiles() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains(dir.toString())) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** This process's open descriptors on the journal's segment files. */
    private List<String> openJournalFiles() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(dir.toString()) && target.endsWith(SegmentFiles.SUFFIX)) out.add(target);
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return out;
    }
}
