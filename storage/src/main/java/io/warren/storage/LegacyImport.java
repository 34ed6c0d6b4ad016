package io.warren.storage;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One-time import of a journal of the Chronicle Queue format (cycle files {@code yyyyMMdd-HHmm.cq4} and
 * {@code metadata.cq4t}, Warren up to the segment journal) into segment files, run by
 * {@link MessageStore#open} before the journal is opened. Each old cycle becomes one segment, in order;
 * every intact record is copied as it is ({@link RecordCodec}'s bytes did not change), except that a
 * PUBLISH whose body is in BODY_CHUNK records names its first chunk by a Chronicle index: that becomes the
 * chunk's new location, and the PUBLISH gets its CRC again. Damaged records are skipped and logged, as the
 * Chronicle replay did; a cycle file whose first header is incomplete holds no record and is moved to
 * {@code quarantine/}, as the Chronicle journal did at open.
 *
 * <p>Crash safety: a kill (or a power cut) at any point leaves either the old files complete, and then the
 * next start imports again from scratch, or the import complete. The commit point is the file
 * {@value #DONE}. All of it happens under the journal's directory lock ({@link Journal#open}), so a second
 * broker started on the same directory fails instead of deleting what this one writes.
 * <ol>
 * <li>Segment files next to cycle files without {@value #DONE} are what an interrupted import wrote (the
 *     broker writes segments only once no cycle file is left): they are deleted, and the deletion is made
 *     durable before anything new is written.</li>
 * <li>The segments are written, then forced to disk with their directory entries ({@link Journal#sync}).
 *     A kill up to here leaves every old file in place; the segments are redone at the next start.</li>
 * <li>{@value #DONE} is created and the directory forced. From here on the segments count and the old
 *     files are garbage: a start that finds {@value #DONE} deletes whatever is left of them, then
 *     {@value #DONE}, and touches no segment. Without this file, a kill between deleting the first and the
 *     last cycle file would leave some cycle files, and the next start would throw the complete segments
 *     away and import only the files left: messages lost.</li>
 * <li>The cycle files and {@code metadata.cq4t} are deleted and the directory forced; then {@value #DONE}
 *     is deleted and the directory forced again.</li>
 * </ol>
 * Until step 4 the old files are only read (moving aside a cycle file that holds no record loses nothing).
 * While it runs the import takes the journal's space twice on disk; if the disk fills up the import fails,
 * the old files stay, and the store does not open.
 *
 * <p>Chronicle is touched only where cycle files exist: the checks on the usual path (a directory of
 * segments) load no Chronicle class, so a broker that never had a Chronicle journal never initialises
 * Chronicle for its messages. Everything that names a Chronicle type is in {@link Copy}.
 */
final class LegacyImport {
    private static final Logger log = LoggerFactory.getLogger(LegacyImport.class);
    /** Present: the segments hold the imported journal; any cycle file still here is garbage. */
    static final String DONE = "legacy-import.done";
    static final String METADATA = "metadata.cq4t";
    static final String QUARANTINE = "quarantine";

    private LegacyImport() {
    }

    /** Imports a Chronicle journal found in {@code dir}, or finishes an import that was interrupted. */
    static void importIfPresent(Path dir) throws IOException {
        importIfPresent(dir, step -> {
        });
    }

    /**
     * @param afterStep called with the name of each step once its effect is on disk (for "cycle-copied": in
     *                  the new journal's buffer); a test throws from it to stop the import there as a kill
     *                  would, and checks that the next start recovers everything
     */
    static void importIfPresent(Path dir, Consumer<String> afterStep) throws IOException {
        boolean done = Files.exists(dir.resolve(DONE));
        if (!done && CycleFiles.list(dir).isEmpty()) return; // the usual case: no old journal
        try (Journal journal = Journal.open(dir)) { // the directory lock, held for every change below
            if (done) {
                log.info("finishing the import of the Chronicle journal in {}: deleting its files", dir);
                deleteOldFiles(dir, afterStep);
                return;
            }
            long start = System.nanoTime();
            deleteSegments(dir, afterStep);
            TreeMap<Integer, Path> cycles = quarantineBrokenFiles(dir);
            Result result = new Result(0, 0, 0);
            if (!cycles.isEmpty()) {
                ChronicleSettings.apply(); // before any Chronicle class initialises
                result = Copy.run(dir, cycles, journal, afterStep);
            }
            if (result.segments() > 0) journal.sync();
            afterStep.accept("segments-synced");
            Files.writeString(dir.resolve(DONE), "The Chronicle journal in this directory was imported into the "
                    + "segment files; any *.cq4 file left here is garbage.\n", StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
            forceDirectory(dir);
            afterStep.accept("done-written");
            deleteOldFiles(dir, afterStep);
            log.info("imported the Chronicle journal in {}: {} of {} files, {} records ({} damaged records skipped) in {} ms",
                    dir, result.segments(), cycles.size(), result.records(), result.damaged(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** @param segments old cycles copied, each into a segment of its own */
    record Result(int segments, long records, long damaged) {
    }

    /**
     * Moves aside a cycle file whose very first header is missing or incomplete: it was being created when
     * the machine died, holds no record, and Chronicle would wait on it and then fail (the rule of the
     * Chronicle journal's open).
     * @return the cycle files left
     */
    private static TreeMap<Integer, Path> quarantineBrokenFiles(Path dir) throws IOException {
        for (Path p : CycleFiles.list(dir).values()) {
            int header = 0;
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                if (ch.read(b, 0) == 4) header = b.getInt(0);
            }
            if (header <= 0) { // zero: never written; negative: Chronicle's not-complete bit
                Path aside = dir.resolve(QUARANTINE);
                Files.createDirectories(aside);
                Files.move(p, aside.resolve(p.getFileName()));
                log.warn("journal file {} has no complete header (crash while it was created); moved to {}",
                        p.getFileName(), aside);
            }
        }
        return CycleFiles.list(dir);
    }

    /** Step 1: what an interrupted import wrote. The caller holds the directory lock. */
    private static void deleteSegments(Path dir, Consumer<String> afterStep) throws IOException {
        TreeMap<Integer, Path> stray = SegmentFiles.list(dir);
        if (stray.isEmpty()) return;
        for (Path p : stray.values()) Files.delete(p);
        forceDirectory(dir);
        log.warn("deleted {} segment files of an interrupted import of the Chronicle journal in {}; importing again",
                stray.size(), dir);
        afterStep.accept("stray-segments-deleted");
    }

    /** Step 4: the old journal goes; {@link #DONE} last, once nothing else of it is left. */
    private static void deleteOldFiles(Path dir, Consumer<String> afterStep) throws IOException {
        for (Path p : CycleFiles.list(dir).values()) {
            Files.deleteIfExists(p);
            afterStep.accept("cycle-file-deleted");
        }
        Files.deleteIfExists(dir.resolve(METADATA));
        forceDirectory(dir);
        afterStep.accept("old-files-deleted");
        Files.deleteIfExists(dir.resolve(DONE));
        forceDirectory(dir);
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** The part that reads Chronicle; loaded only when there are cycle files. */
    private static final class Copy {
        /** Chronicle's roll cycle and block size for the journal, as the Chronicle journal opened it. */
        private static final RollCycle ROLL_CYCLE = LegacyRollCycles.MINUTELY;
        private static final long BLOCK_SIZE = 16L << 20;
        private static final long TIMEOUT_MS = 200;
        /**
         * The journal keeps each segment left behind by a roll open until the next sync: an old journal of
         * thousands of cycles (a slow consumer pins one a minute) would run out of file descriptors without a
         * sync every so many segments. The syncs change nothing for crash safety (see the class comment).
         */
        private static final int SYNC_EVERY = 64;
        /** No record of the old journal was larger (Chronicle allowed a quarter of the block). */
        private static final long MAX_RECORD = BLOCK_SIZE;

        private final Journal journal;
        private final RecordReader reader = new RecordReader();
        private final CRC32C crc = new CRC32C();
        /** Old index of each message's first BODY_CHUNK -> its new location, until its PUBLISH comes. */
        private final Map<Long, Long> firstChunks = new HashMap<>();
        private byte[] record = new byte[64 << 10];
        private long maxId;
        private long records;
        private long damaged;

        private Copy(Journal journal) {
            this.journal = journal;
            journal.highestIdSource(() -> maxId); // each segment's MARK: the highest id copied so far
        }

        static Result run(Path dir, TreeMap<Integer, Path> cycles, Journal journal, Consumer<String> afterStep)
                throws IOException {
            Copy copy = new Copy(journal);
            CycleClock clock = new CycleClock();
            // Chronicle reads the clock while building; pointed at the newest file it opens quietly.
            clock.cycle(cycles.lastKey());
            int segments = 0;
            try (SingleChronicleQueue q = SingleChronicleQueueBuilder.single(dir.toFile())
                    .rollCycle(ROLL_CYCLE)
                    .timeProvider(clock)
                    .timeoutMS(TIMEOUT_MS)
                    .blockSize(BLOCK_SIZE)
                    .build();
                 ExcerptTailer tailer = q.createTailer()) {
                for (int cycle : cycles.keySet()) {
                    if (copy.cycle(tailer, cycle) && ++segments % SYNC_EVERY == 0) journal.sync();
                    afterStep.accept("cycle-copied");
                }
            }
            return new Result(segments, copy.records, copy.damaged);
        }

        /** Copies one cycle into a segment of its own, as the Chronicle replay read it. */
        private boolean cycle(ExcerptTailer tailer, int cycle) {
            if (!tailer.moveToCycle(cycle)) {
                log.warn("journal file {} could not be opened; skipped", CycleFiles.name(cycle));
                return false;
            }
            journal.roll();
            long n = 0;
            while (true) {
                long index;
                int len;
                // Only the reading is guarded: a failure of the new journal fails the import.
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) break;
                    index = dc.index();
                    // A file that ends with an end-of-file marker lets the tailer run on into the next cycle.
                    if (ROLL_CYCLE.toCycle(index) != cycle) break;
                    n++;
                    len = read(dc.wire().bytes());
                } catch (RuntimeException e) {
                    damaged++;
                    log.warn("journal {} is unreadable after {} records ({}); the rest of that file is dropped",
                            CycleFiles.name(cycle), n, e.toString(), e);
                    break;
                }
                if (len < 0) {
                    skip(cycle, index, "too long");
                } else if (!reader.load(ByteBuffer.wrap(record, 0, len))) {
                    skip(cycle, index, "checksum or framing");
                } else {
                    copy(len, cycle, index);
                }
            }
            return true;
        }

        /** @return the excerpt's length, now in {@link #record}; -1 if no record of the old journal was as long */
        private int read(Bytes<?> in) {
            long remaining = in.readRemaining();
            if (remaining > MAX_RECORD) return -1;
            int len = (int) remaining;
            if (record.length < len) record = new byte[Math.max(len, record.length * 2)];
            in.read(record, 0, len);
            return len;
        }

        /** Appends the intact record in {@link #record} (now in {@link #reader}) to the new journal. */
        private void copy(int len, int cycle, long index) {
            RecordReader r = reader;
            switch (r.type) {
                case RecordCodec.PUBLISH -> {
                    maxId = Math.max(maxId, r.messageId);
                    if (r.chunks > 0 && !relinkChunks(len, cycle)) return;
                }
                case RecordCodec.BODY_CHUNK -> maxId = Math.max(maxId, r.messageId);
                case RecordCodec.SETTLE, RecordCodec.DELIVERED -> {
                    for (long id : r.ids) maxId = Math.max(maxId, id);
                }
                case RecordCodec.MARK -> maxId = Math.max(maxId, r.messageId);
                default -> {
                    // DELETE_QUEUE: nothing to note
                }
            }
            long location = journal.appendRaw(record, 0, len);
            records++;
            if (r.type == RecordCodec.BODY_CHUNK && r.chunkSeq == 0) firstChunks.put(index, location);
        }

        /**
         * Points the PUBLISH in {@link #record} at its first chunk's new location: the 8 bytes before the
         * CRC, and the CRC over everything before it.
         * @return false if that chunk was not copied (damaged): the message is dropped, as replay would
         */
        private boolean relinkChunks(int len, int cycle) {
            ByteBuffer b = ByteBuffer.wrap(record, 0, len).order(ByteOrder.LITTLE_ENDIAN);
            long oldIndex = reader.firstChunkIndex;
            Long location = b.getLong(len - 12) == oldIndex ? firstChunks.remove(oldIndex) : null;
            if (location == null) {
                damaged++;
                log.warn("message {} in {}: its first body chunk (index {}) was not copied; dropped", reader.messageId,
                        CycleFiles.name(cycle), oldIndex);
                return false;
            }
            b.putLong(len - 12, location);
            crc.reset();
            crc.update(record, 0, len - 4);
            b.putInt(len - 4, (int) crc.getValue());
            return true;
        }

        private void skip(int cycle, long index, String why) {
            damaged++;
            log.warn("journal {} record {} is damaged ({}); skipped", CycleFiles.name(cycle),
                    ROLL_CYCLE.toSequenceNumber(index), why);
        }
    }
}
