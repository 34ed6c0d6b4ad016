package io.warren.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The journal in {@code legacy-journal-v1.zip}, of the Chronicle format, and what a recovery must find in it
 * ({@link #assertFixture}). {@link LegacyFixtureMain} wrote it with the Chronicle store, and checked that this
 * store recovers exactly that from it. Three sessions left four cycle files:
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
    static void unzip(InputStream in, Path dir) throws IOException {
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
}
