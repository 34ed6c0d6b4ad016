package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link LegacyImport} of {@code legacy-journal-v1.zip}, a journal of the Chronicle format that the Chronicle
 * store itself wrote. {@code LegacyFixtureMain} (in the commit that added the fixture; it runs on 593ba80) made
 * it and checked that the Chronicle store recovers from it exactly what {@link #assertFixture} asserts. Three
 * sessions left four cycle files:
 * <pre>
 * file A: 1 -> q1;  2 -> q1;  3 -> q1+q2;  4 -> q2, delivered on q2;  5 -> q3;  6 -> q1+q3
 * file B: 7 -> q2 (3 body chunks);  8 -> q1;  delivered 1 on q1;  settle 2 on q1;  delete q3;
 *         9 -> q1 (2 body chunks), settled
 * file C: settle 8 and 9 on q1;  10 -> q2;  delivered 3 on q2
 * (file D: 11 -> q2, settled; deleted by the Chronicle store)  file E: its MARK carries 11
 * </pre>
 */
class LegacyImportTest {
    static final String FIXTURE = "/legacy-journal-v1.zip";
    static final int FIXTURE_CYCLES = 4;
    static final long Q1 = 1, Q2 = 2, Q3 = 3;
    /** Id 11 was published and settled in a file that was then deleted: only a MARK still carries it. */
    static final long HIGHEST_ID = 11;
    /** Message 7 (live in q2): three BODY_CHUNK records. */
    static final int BIG_LENGTH = 2 * RecordCodec.CHUNK_SIZE + 300_000;
    static final String BIG_SHA256 = "a041f494d59f54ced7babbccdf65ef1336acf9f621f565a944dffe067436a965";
    /** Message 9 (settled): two BODY_CHUNK records. */
    static final int SETTLED_BIG_LENGTH = RecordCodec.CHUNK_SIZE + 1;

    @TempDir
    Path tmp;

    static String meta(long id) {
        return "meta " + id;
    }

    static byte[] body(long id) {
        if (id == 7) return pattern(BIG_LENGTH);
        if (id == 9) return pattern(SETTLED_BIG_LENGTH);
        return ("body of message " + id).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A body that zips small (it repeats every 4099 bytes) yet shows a misplaced chunk: 4099 is prime, so
     * each chunk of {@link RecordCodec#CHUNK_SIZE} starts at a different phase of it.
     */
    static byte[] pattern(int length) {
        byte[] period = new byte[4099];
        new Random(4099).nextBytes(period);
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = period[i % period.length];
        return b;
    }

    /**
     * Everything the Chronicle store recovered from the fixture, read back through the store; {@code s} is
     * freshly opened, {@code laterInQ1} are messages published to q1 after the import.
     */
    static void assertFixture(MessageStore s, Recovered r, long... laterInQ1) throws Exception {
        List<Long> q1 = new ArrayList<>(List.of(1L, 3L, 6L));
        for (long id : laterInQ1) q1.add(id);
        assertEquals(Set.of(Q1, Q2), r.queues().keySet(), "q3 was deleted");
        assertEquals(q1, ids(r, Q1));
        assertEquals(List.of(3L, 4L, 7L, 10L), ids(r, Q2));
        assertEquals(6 + laterInQ1.length, r.messageCount(), "3 counts once");
        assertEquals(0, r.droppedRecords());
        List<Boolean> redeliveredQ1 = new ArrayList<>(List.of(true, false, false));
        for (long ignored : laterInQ1) redeliveredQ1.add(false);
        assertEquals(redeliveredQ1, r.queue(Q1).stream().map(RecoveredMessage::redelivered).toList());
        assertEquals(List.of(true, true, false, false), r.queue(Q2).stream().map(RecoveredMessage::redelivered).toList());
        assertBodies(s, r);
        assertTrue(s.newMessageId() > LongStream.concat(LongStream.of(HIGHEST_ID), LongStream.of(laterInQ1)).max().getAsLong(),
                "new ids above the old highest");
    }

    /** Meta and body of every recovered message, as the store reads them back, are what was published. */
    static void assertBodies(MessageStore s, Recovered r) throws Exception {
        for (long q : r.queues().keySet()) {
            for (RecoveredMessage m : r.queue(q)) {
                long id = m.messageId();
                assertEquals(meta(id), new String(m.meta(), StandardCharsets.US_ASCII), "meta of " + id);
                assertEquals(body(id).length, m.bodySize(), "body size of " + id);
                StoredMessage stored = read(s, m.location());
                assertEquals(id, stored.messageId());
                assertEquals(meta(id), new String(stored.meta(), StandardCharsets.US_ASCII));
                assertArrayEquals(body(id), stored.body(), "body of " + id);
                if (id == 7) assertEquals(BIG_SHA256, sha256(stored.body()));
            }
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static void unzipFixture(Path dir) throws IOException {
        try (InputStream in = LegacyImportTest.class.getResourceAsStream(FIXTURE)) {
            assertNotNull(in, FIXTURE);
            unzip(in, dir);
        }
        assertEquals(FIXTURE_CYCLES, CycleFiles.list(dir).size());
    }

    /** Unzips into {@code dir}, leaving runs of zeros as holes (the cycle files are sparse, 20 MiB each). */
    private static void unzip(InputStream in, Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] block = new byte[64 << 10];
        try (ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                try (FileChannel ch = FileChannel.open(dir.resolve(e.getName()),
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long pos = 0;
                    for (int n; (n = z.readNBytes(block, 0, block.length)) > 0; pos += n) {
                        if (!allZero(block, n)) {
                            ByteBuffer b = ByteBuffer.wrap(block, 0, n);
                            while (b.hasRemaining()) ch.write(b, pos + b.position());
                        }
                    }
                    if (ch.size() < pos) ch.write(ByteBuffer.allocate(1), pos - 1);
                }
            }
        }
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) if (b[i] != 0) return false;
        return true;
    }

    /** Nothing of the Chronicle journal is left: no cycle file, no metadata, no marker. */
    private static void assertImported(Path dir) throws IOException {
        assertEquals(Map.of(), CycleFiles.list(dir), "cycle files left");
        assertFalse(Files.exists(dir.resolve(LegacyImport.METADATA)));
        assertFalse(Files.exists(dir.resolve(LegacyImport.DONE)));
        assertFalse(SegmentFiles.list(dir).isEmpty());
    }

    @Test
    void importsWhatTheChronicleStoreRecoveredAndANewMessageFollows() throws Exception {
        Path dir = tmp.resolve("messages");
        unzipFixture(dir);
        long later;
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertImported(dir);
            assertFixture(s, s.recover());
            later = s.newMessageId();
            assertTrue(later > HIGHEST_ID);
            publish(s, later, meta(later), body(later), Q1);
        }
        assertEquals(5, JournalDump.count(dir, RecordCodec.BODY_CHUNK), "chunks of 7 and of the settled 9");
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertImported(dir);
            assertFixture(s, s.recover(), later);
        }
    }

    @Test
    void segmentsOfAnInterruptedImportAreDiscarded() throws Exception {
        // What a crashed import could have left: a segment with a message (99 in q1) the old journal lacks.
        Path other = tmp.resolve("other");
        try (MessageStore s = MessageStore.open(config(other))) {
            publish(s, 99, meta(99), body(99), Q1);
        }
        Path dir = tmp.resolve("messages");
        unzipFixture(dir);
        TreeMap<Integer, Path> segments = SegmentFiles.list(other);
        Files.copy(segments.lastEntry().getValue(), SegmentFiles.path(dir, 1));
        Files.copy(segments.lastEntry().getValue(), SegmentFiles.path(dir, 3));
        Files.write(SegmentFiles.path(dir, 4), new byte[] {7, 0, 0, 0, 1, 2}); // torn

        try (MessageStore s = MessageStore.open(config(dir))) {
            assertImported(dir);
            assertFixture(s, s.recover());
        }
        assertTrue(SegmentFiles.list(dir).firstKey() > 4, "numbered on above the discarded ones");
    }

    /** Stops the import as a kill would: thrown from the import's {@code afterStep} hook. */
    private static final class Kill extends RuntimeException {
        Kill(String step) {
            super("killed after " + step);
        }
    }

    @Test
    void aKillAfterAnyStepLeavesTheOldFilesOrTheWholeImport() throws Exception {
        // The steps an import takes, with a crash left behind first so that it deletes segments too.
        Path dry = tmp.resolve("dry");
        unzipFixture(dry);
        Files.write(SegmentFiles.path(dry, 1), new byte[100]);
        List<String> steps = new ArrayList<>();
        LegacyImport.importIfPresent(dry, steps::add);
        assertTrue(steps.containsAll(List.of("stray-segments-deleted", "cycle-copied", "segments-synced",
                "done-written", "cycle-file-deleted", "old-files-deleted")), steps.toString());

        Path original = tmp.resolve("original");
        unzipFixture(original);
        Map<String, String> originalFiles = digests(original);
        for (int k = 0; k < steps.size(); k++) {
            String step = steps.get(k);
            Path dir = tmp.resolve("kill-" + k);
            unzipFixture(dir);
            Files.write(SegmentFiles.path(dir, 1), new byte[100]);
            int[] seen = {0};
            int at = k;
            assertThrows(Kill.class, () -> LegacyImport.importIfPresent(dir, s -> {
                if (seen[0]++ == at) throw new Kill(s);
            }), "step " + k + ": " + step);

            boolean committed = Files.exists(dir.resolve(LegacyImport.DONE)) || CycleFiles.list(dir).isEmpty();
            if (!committed) {
                // not committed: every old file is there, byte for byte (Chronicle only read them)
                assertEquals(originalFiles, digests(dir), "old files after a kill after step " + k + ": " + step);
            }
            try (MessageStore s = MessageStore.open(config(dir))) {
                assertImported(dir);
                assertFixture(s, s.recover());
            }
        }
    }

    /** SHA-256 of each file of the old journal in {@code dir}. */
    private static Map<String, String> digests(Path dir) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path p : CycleFiles.list(dir).values()) out.put(p.getFileName().toString(), sha256(Files.readAllBytes(p)));
        Path meta = dir.resolve(LegacyImport.METADATA);
        if (Files.exists(meta)) out.put(LegacyImport.METADATA, "present");
        return out;
    }

    @Test
    void damagedRecordsAreSkippedAndTheRestIsImported() throws Exception {
        Path dir = tmp.resolve("messages");
        unzipFixture(dir);
        // message 6's PUBLISH, and the first BODY_CHUNK of message 7: type 2, id 7, seq 0, length CHUNK_SIZE
        damage(dir, "body of message 6".getBytes(StandardCharsets.US_ASCII), 5);
        ByteBuffer chunkHead = ByteBuffer.allocate(17).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .put(RecordCodec.BODY_CHUNK).putLong(7).putInt(0).putInt(RecordCodec.CHUNK_SIZE);
        damage(dir, chunkHead.array(), 17 + 1000);

        try (MessageStore s = MessageStore.open(config(dir))) {
            assertImported(dir);
            Recovered r = s.recover();
            assertEquals(List.of(1L, 3L), ids(r, Q1));
            assertEquals(List.of(3L, 4L, 10L), ids(r, Q2), "7 lost its first chunk, so its PUBLISH is dropped too");
            assertEquals(0, r.droppedRecords(), "the import skipped them; the segments are intact");
            assertBodies(s, r);
            assertTrue(s.newMessageId() > HIGHEST_ID);
        }
    }

    /** Changes the byte {@code skip} bytes into the first occurrence of {@code marker} in a cycle file. */
    private static void damage(Path dir, byte[] marker, int skip) throws IOException {
        for (Path p : CycleFiles.list(dir).values()) {
            byte[] all = Files.readAllBytes(p);
            outer:
            for (int at = 0; at <= all.length - marker.length; at++) {
                for (int j = 0; j < marker.length; j++) if (all[at + j] != marker[j]) continue outer;
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.seek(at + skip);
                    f.write(all[at + skip] ^ 0x5a);
                }
                return;
            }
        }
        throw new AssertionError("not found in the journal");
    }

    @Test
    void aCycleFileWithoutACompleteHeaderIsMovedAside() throws Exception {
        Path dir = tmp.resolve("messages");
        unzipFixture(dir);
        // a file the Chronicle store was creating when the machine died: newer than the others, all zeros
        int broken = CycleFiles.list(dir).lastKey() + 1;
        Files.write(CycleFiles.path(dir, broken), new byte[4096]);
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertImported(dir);
            assertFixture(s, s.recover());
        }
        assertTrue(Files.exists(dir.resolve(LegacyImport.QUARANTINE).resolve(CycleFiles.name(broken))));
    }

    /** A store that never had a Chronicle journal loads no Chronicle class for it (checked in a fresh JVM). */
    @Test
    void noChronicleClassIsLoadedWithoutCycleFiles() throws Exception {
        Path dir = tmp.resolve("messages");
        try (MessageStore s = MessageStore.open(config(dir))) {
            publish(s, s.newMessageId(), "m", new byte[10], Q1);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-")) cmd.add(a);
        }
        cmd.addAll(List.of("-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), dir.toString(), tmp.resolve("absent").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("io.warren.storage.LegacyImport "), "the probe ran the import check");
        assertTrue(out.contains("PROBE DONE"), out);
        List<String> chronicle = out.lines().filter(l -> l.contains("net.openhft") || l.contains("LegacyImport$Copy")).toList();
        assertEquals(List.of(), chronicle);
    }

    /** Runs the import's check on directories without cycle files. */
    static final class Probe {
        public static void main(String[] args) throws IOException {
            for (String d : args) LegacyImport.importIfPresent(Path.of(d));
            System.out.println("PROBE DONE");
        }
    }
}
