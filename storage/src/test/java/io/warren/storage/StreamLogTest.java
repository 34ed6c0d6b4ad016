package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stream's log: dense offsets across segments, reopening without reading, retention by size and age. */
class StreamLogTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void append(StreamLog log, int from, int to, long timestamp) throws Exception {
        for (int i = from; i < to; i++) {
            assertEquals(i, log.append(timestamp, "x", "k" + i, bytes("p"), bytes("m" + i)));
        }
        log.commit(true);
    }

    private static void readFrom(StreamLog log, long offset, int to) {
        try (StreamReader r = log.reader(offset)) {
            for (long i = offset; i < to; i++) {
                StreamLog.Entry e = r.next();
                assertEquals(i, e.offset());
                assertEquals("m" + i, new String(e.body(), StandardCharsets.UTF_8));
                assertEquals("k" + i, e.routingKey());
            }
            assertNull(r.next(), "nothing past the end");
        }
    }

    @Test
    void offsetsStayDenseAcrossSegmentsAndAReopen() throws Exception {
        try (StreamLog log = StreamLog.open(dir, 2_000)) { // a new segment every ~50 records
            append(log, 0, 500, 1_000);
            assertTrue(log.stats()[2] > 5, "segments: " + log.stats()[2]);
            readFrom(log, 0, 500);
            readFrom(log, 321, 500); // found by arithmetic, wherever it is
            assertNull(log.reader(500).next(), "uncommitted or absent: nothing");
        }
        try (StreamLog log = StreamLog.open(dir, 2_000)) {
            assertEquals(500, log.end());
            assertEquals(500, log.stats()[0]);
            append(log, 500, 510, 2_000);
            readFrom(log, 0, 510);
            assertEquals(500, log.offsetAt(1_500), "the first message at or after a time");
        }
    }

    @Test
    void aTimestampInsideASegmentIsFoundByReadingThatSegment() throws Exception {
        try (StreamLog log = StreamLog.open(dir, 1L << 30)) { // one segment
            append(log, 0, 10, 1_000);
            append(log, 10, 20, 2_000);
            append(log, 20, 30, 3_000);
            assertEquals(1, log.stats()[2]);
            assertEquals(10, log.offsetAt(1_500));
            assertEquals(20, log.offsetAt(3_000));
            assertEquals(0, log.offsetAt(0));
            assertEquals(30, log.offsetAt(9_000), "after the newest: the end");
            readFrom(log, log.offsetAt(2_000), 30); // the reader used for the search left nothing behind
        }
    }

    @Test
    void retentionDropsWholeHeadSegmentsAndReadersMoveOn() throws Exception {
        try (StreamLog log = StreamLog.open(dir, 2_000)) {
            StreamReader lagging = log.reader(0);
            append(log, 0, 300, 1_000);
            append(log, 300, 600, 5_000);
            long segments = log.stats()[2];
            int dropped = log.trim(0, 3_000, 6_000); // older than 3 s at time 6 s: the first 300 messages' segments
            assertTrue(dropped > 0 && log.stats()[2] == segments - dropped);
            long first = log.firstOffset();
            assertTrue(first > 0 && first <= 300, "first offset " + first);
            assertEquals(first, lagging.next().offset(), "a reader behind the head carries on at the new first");
            lagging.close();
            log.trim(10_000, 0, 6_000); // by size: at most ~10 KB left, the segment being written stays
            long[] s = log.stats();
            assertTrue(s[1] <= 10_000 + 2_500 && s[2] >= 1, "bytes " + s[1] + " segments " + s[2]);
            assertEquals(600, log.end());
            readFrom(log, log.firstOffset(), 600);
        }
        try (StreamLog log = StreamLog.open(dir, 2_000)) { // the trimmed state is what reopens
            readFrom(log, log.firstOffset(), 600);
        }
    }
}
