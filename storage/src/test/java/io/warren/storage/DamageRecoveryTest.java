package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** A crash or a bad disk leaves a damaged tail: recovery keeps what is before it, and the store opens. */
class DamageRecoveryTest {
    @TempDir
    Path dir;

    private long[] writeThree() throws Exception {
        long[] ids = new long[3];
        try (MessageStore s = MessageStore.open(config(dir))) {
            for (int i = 0; i < 3; i++) {
                ids[i] = s.newMessageId();
                publish(s, ids[i], "m" + i, ("BODY-MARKER-" + i + "-").repeat(50).getBytes(StandardCharsets.US_ASCII), 1);
            }
        }
        return ids;
    }

    /** Offset of the first occurrence of {@code marker} in the newest journal file that has it. */
    private long[] find(String marker) throws Exception {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        List<Integer> cs = cycles(dir);
        for (int i = cs.size() - 1; i >= 0; i--) {
            Path p = SegmentFiles.path(dir, cs.get(i));
            byte[] all = Files.readAllBytes(p);
            outer:
            for (int at = 0; at <= all.length - m.length; at++) {
                for (int j = 0; j < m.length; j++) if (all[at + j] != m[j]) continue outer;
                return new long[] {cs.get(i), at};
            }
        }
        throw new AssertionError("marker not found");
    }

    @Test
    void corruptedLastRecordIsDroppedAndTheRestKept() throws Exception {
        long[] ids = writeThree();
        long[] where = find("BODY-MARKER-2-");
        try (RandomAccessFile f = new RandomAccessFile(SegmentFiles.path(dir, (int) where[0]).toFile(), "rw")) {
            f.seek(where[1] + 5);
            f.write('#');
        }
        long fresh;
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(List.of(ids[0], ids[1]), ids(r, 1));
            assertEquals(1, r.droppedRecords());
            fresh = s.newMessageId();
            publish(s, fresh, "after", new byte[5], 1);
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertEquals(List.of(ids[0], ids[1], fresh), ids(s.recover(), 1));
        }
    }

    @Test
    void truncatedFileKeepsWhatIsBeforeTheCut() throws Exception {
        long[] ids = writeThree();
        long[] where = find("BODY-MARKER-2-");
        try (RandomAccessFile f = new RandomAccessFile(SegmentFiles.path(dir, (int) where[0]).toFile(), "rw")) {
            f.setLength(where[1] + 100);
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(List.of(ids[0], ids[1]), ids(r, 1));
            assertEquals(0, r.droppedRecords(), "a record the file ends inside is a write cut short, not damage");
            long fresh = s.newMessageId();
            assertTrue(fresh > ids[2] || fresh > ids[1]);
            publish(s, fresh, "", new byte[1], 1);
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertEquals(3, s.recover().queue(1).size());
        }
    }

    @Test
    void aWriteCutShortInAFileWrittenAheadIsNotDamage() throws Exception {
        long[] ids = writeThree();
        long[] where = find("BODY-MARKER-2-");
        // a prepared (zero-filled) segment where the kill stopped the write inside the last record's body
        try (RandomAccessFile f = new RandomAccessFile(SegmentFiles.path(dir, (int) where[0]).toFile(), "rw")) {
            long cut = where[1] + 20;
            f.setLength(cut);
            f.setLength(cut + (1 << 20));
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(List.of(ids[0], ids[1]), ids(r, 1));
            assertEquals(0, r.droppedRecords(), "a record ending in zeros before zeros is a write cut short");
        }
    }

    @Test
    void aLengthThatCannotBeEndsItsSegmentAndCountsAsDamage() throws Exception {
        long[] ids = writeThree();
        long[] where = find("BODY-MARKER-1-");
        // the length field sits before the record's type byte, message id and the rest of its head
        long length = where[1] - 4 - 1 - 8 - 4 - 8 - 4 - 2 - 8 - 4;
        try (RandomAccessFile f = new RandomAccessFile(SegmentFiles.path(dir, (int) where[0]).toFile(), "rw")) {
            f.seek(length);
            f.writeInt(-7);
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(List.of(ids[0]), ids(r, 1));
            assertEquals(1, r.droppedRecords());
        }
    }

    @Test
    void aSegmentOfZerosHoldsNothingAndWritingGoesOnAboveIt() throws Exception {
        long[] ids = writeThree();
        // what a crash can leave: a file extended, its data never written
        int bogus = cycles(dir).get(cycles(dir).size() - 1) + 5;
        Files.write(SegmentFiles.path(dir, bogus), new byte[4096]);
        long fresh;
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertEquals(List.of(ids[0], ids[1], ids[2]), ids(s.recover(), 1));
            fresh = s.newMessageId();
            publish(s, fresh, "after", new byte[5], 1);
        }
        assertTrue(cycles(dir).get(cycles(dir).size() - 1) > bogus, "new writes go above it: " + cycles(dir));
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(List.of(ids[0], ids[1], ids[2], fresh), ids(r, 1));
            assertEquals(0, r.droppedRecords());
        }
    }
}
