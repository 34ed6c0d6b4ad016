package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Segments written ahead of time, full of zeros: used at the next roll, read as empty past their data. */
class SegmentPreparerTest {
    @TempDir
    Path dir;

    private List<Path> preparedFiles() throws Exception {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SegmentPreparer.SUFFIX)) {
            s.forEach(out::add);
        }
        return out;
    }

    @Test
    void theNextRollTakesThePreparedFileAndItsUnwrittenRestReadsAsEmpty() throws Exception {
        List<Long> locations = new ArrayList<>();
        try (Journal journal = Journal.open(dir)) {
            journal.prepareAhead(1 << 20, () -> Long.MAX_VALUE);
            journal.roll();
            assertTrue(journal.preparer().awaitReady(30_000), "prepared in time");
            Path prepared = preparedFiles().get(0);
            assertEquals(SegmentPreparer.MIN_BYTES, Files.size(prepared), "at least the minimum, in whole MiB");
            journal.roll();
            assertFalse(Files.exists(prepared), "renamed into place");
            int segment = journal.currentCycle();
            assertEquals(SegmentPreparer.MIN_BYTES, Files.size(SegmentFiles.path(dir, segment)));
            for (long id = 1; id <= 100; id++) {
                locations.add(journal.codec().writePublish(journal, new Write.Publish(id, new byte[0],
                        ("body " + id).getBytes(StandardCharsets.UTF_8), new long[] {1}), -1));
            }
            journal.sync();
            assertEquals(SegmentPreparer.MIN_BYTES, Files.size(SegmentFiles.path(dir, segment)), "overwritten, not grown");
        }
        assertEquals(List.of(), preparedFiles(), "close deletes a prepared file nobody took");
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(100, r.queue(1).size());
            assertEquals(0, r.droppedRecords(), "the zeros after the data are its end, not damage");
            assertEquals("body 100", new String(read(s, locations.get(99)).body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDiskWithLittleToSpareGetsNoPreparedFile() throws Exception {
        try (Journal journal = Journal.open(dir)) {
            journal.prepareAhead(1 << 20, () -> SegmentPreparer.MIN_BYTES + SegmentPreparer.SPARE_BYTES - 1);
            journal.roll();
            assertTrue(journal.preparer().awaitReady(30_000));
            assertEquals(List.of(), preparedFiles(), "nothing written while the disk is this full");
            journal.roll();
            journal.flush();
            assertEquals(17, Files.size(SegmentFiles.path(dir, journal.currentCycle())), "a new file holding its MARK only");
        }
    }

    @Test
    void aPreparedFileACrashLeftBehindIsDeletedAtOpen() throws Exception {
        Files.createDirectories(dir);
        Path leftover = dir.resolve("next-7" + SegmentPreparer.SUFFIX);
        Files.write(leftover, new byte[4096]);
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertFalse(Files.exists(leftover));
            assertEquals(0, s.recover().messageCount());
        }
    }

    @Test
    void sizesFollowTheLastSegmentWithinBounds() throws Exception {
        try (SegmentPreparer p = new SegmentPreparer(dir, 64L << 20, () -> Long.MAX_VALUE)) {
            assertEquals(SegmentPreparer.MIN_BYTES, p.sizeAfter(0));
            assertEquals(10L << 20, p.sizeAfter((5L << 20) - 100), "twice the last, rounded up to a MiB");
            assertEquals(64L << 20, p.sizeAfter(64L << 20), "never above the limit");
        }
    }
}
