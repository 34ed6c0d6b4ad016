package io.warren.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.warren.storage.LegacyImportTest.*;
import static io.warren.storage.TestSupport.*;

/**
 * Writes {@code legacy-journal-v1.zip}: a journal in the <em>Chronicle</em> format, made by the Chronicle store
 * itself. It must run on commit 593ba80 (the last whose {@code MessageStore} writes that format) with this file
 * and {@code LegacyImportTest} of this commit copied in; that is how the fixture was made:
 * <pre>
 * mvn -B -q -o test-compile -pl storage
 * java &lt;warren.test.argLine&gt; -cp storage/target/test-classes:storage/target/classes:&lt;test classpath&gt; \
 *     io.warren.storage.LegacyFixtureMain storage/src/test/resources/legacy-journal-v1.zip
 * </pre>
 * On the segment journal it writes no cycle file and refuses. {@link LegacyImportTest} holds what a recovery
 * must find in the fixture; this class checked, on 593ba80, that the Chronicle store recovers exactly that.
 *
 * <p>Three sessions (each open starts a new cycle file):
 * <pre>
 * session 1, file A: 1 -> q1;  2 -> q1;  3 -> q1+q2;  4 -> q2, delivered on q2;  5 -> q3;  6 -> q1+q3
 *            roll, file B: 7 -> q2 (3 body chunks);  8 -> q1;  delivered 1 on q1;  settle 2 on q1;  delete q3;
 *            9 -> q1 (2 body chunks), settled
 * session 2, file C: settle 8 and 9 on q1;  10 -> q2;  delivered 3 on q2
 *            roll, file D: 11 -> q2, settled;  roll, file E (its MARK carries 11): D is deleted
 * </pre>
 * Left on disk: A, B, C, E. Id 11 survives only in E's MARK.
 */
final class LegacyFixtureMain {
    private LegacyFixtureMain() {
    }

    public static void main(String[] args) throws Exception {
        Path zip = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createTempDirectory("legacy-fixture");
        Path dir = work.resolve("messages");
        writeJournal(dir);
        List<Integer> cycles = new java.util.ArrayList<>(CycleFiles.list(dir).keySet());
        if (cycles.size() != 4) throw new AssertionError("expected 4 cycle files (run on 593ba80), found " + cycles);
        long chunks = JournalDump.count(dir, RecordCodec.BODY_CHUNK); // 3 of message 7, 2 of message 9
        if (chunks != 5) throw new AssertionError("expected 5 BODY_CHUNK records, found " + chunks);
        zip(dir, zip);

        // What the Chronicle store itself recovers from the zipped files is what the import must deliver.
        Path check = work.resolve("check");
        try (java.io.InputStream in = Files.newInputStream(zip)) {
            unzip(in, check);
        }
        try (MessageStore s = MessageStore.open(config(check))) {
            assertFixture(s, s.recover());
        }
        System.out.println("wrote " + zip + " (" + Files.size(zip) + " bytes), cycles " + cycles);
    }

    private static void writeJournal(Path dir) throws IOException {
        try (MessageStore s = MessageStore.open(config(dir))) {
            for (long id = 1; id <= 6; id++) check(id, s.newMessageId());
            pub(s, 1, Q1);
            pub(s, 2, Q1);
            pub(s, 3, Q1, Q2);
            pub(s, 4, Q2);
            write(s, new Write.Delivered(Q2, 4));
            pub(s, 5, Q3);
            pub(s, 6, Q1, Q3);
            roll(s);
            for (long id = 7; id <= 9; id++) check(id, s.newMessageId());
            pub(s, 7, Q2);
            pub(s, 8, Q1);
            write(s, new Write.Delivered(Q1, 1));
            write(s, new Write.Settle(Q1, 2)); // settles a message of the file before
            write(s, new Write.DeleteQueue(Q3));
            pub(s, 9, Q1);
            write(s, new Write.Settle(Q1, 9));
        }
        try (MessageStore s = MessageStore.open(config(dir))) {
            s.recover();
            write(s, new Write.Settle(Q1, new long[] {8, 9}));
            check(10, s.newMessageId());
            pub(s, 10, Q2);
            write(s, new Write.Delivered(Q2, 3));
            roll(s);
            check(11, s.newMessageId());
            pub(s, 11, Q2);
            write(s, new Write.Settle(Q2, 11));
            roll(s);
        }
    }

    private static void pub(MessageStore s, long id, long... queues) {
        publish(s, id, meta(id), body(id), queues);
    }

    private static void check(long expected, long id) {
        if (id != expected) throw new AssertionError("message id " + id + ", expected " + expected);
    }

    /** Every file of {@code dir} but the lock, flat. */
    private static void zip(Path dir, Path zip) throws IOException {
        Files.createDirectories(zip.getParent());
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
             Stream<Path> files = Files.list(dir)) {
            z.setLevel(9);
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.equals("warren.lock") || Files.isDirectory(p)) continue;
                ZipEntry e = new ZipEntry(name);
                e.setTime(0); // the same journal zips to the same bytes
                z.putNextEntry(e);
                Files.copy(p, z);
                z.closeEntry();
            }
        }
    }
}
