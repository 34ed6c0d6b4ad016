package io.warren.storage;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One stream's append-only log: a Chronicle queue of its own whose cycle files are the stream's segments.
 * Every record is one message at a dense offset (0, 1, 2 ... for the stream's whole life), so a segment's
 * records are at offsets {@code first .. first + count - 1} and offset {@code n} is found without reading
 * anything: its segment from the in-memory segment list, its place in the segment by arithmetic.
 * Retention drops whole segments from the head, never the one being written.
 *
 * <p>Threads: {@link #append}, {@link #sync}, {@link #trim} and {@link #close} run on the stream's one
 * writer thread; {@link StreamReader}s run on any one thread each. What they share (the segment list, the
 * committed end) is read under this object's monitor or through volatiles. Opening reads the first and the
 * last record of each segment, never the messages in between.
 */
public final class StreamLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamLog.class);
    /** Chronicle maps files in blocks of this size; one record may be up to a quarter of it. */
    private static final long BLOCK_SIZE = 16L << 20;
    /** The largest message (all its parts) a stream takes: Chronicle's limit for one record in a block. */
    public static final int MAX_RECORD = (int) (BLOCK_SIZE / 4) - 1024;
    private static final long CHRONICLE_TIMEOUT_MS = 200;

    static {
        ChronicleSettings.apply();
    }

    /**
     * One segment: a cycle file. {@code count} and {@code bytes} grow only for the last one; {@code bytes}
     * counts the records (Chronicle's file header and index pages not included).
     */
    private static final class Segment {
        final int cycle;
        final long firstOffset;
        final long firstTimestamp;
        long count;
        long bytes;
        long lastTimestamp;

        Segment(int cycle, long firstOffset, long firstTimestamp) {
            this.cycle = cycle;
            this.firstOffset = firstOffset;
            this.firstTimestamp = firstTimestamp;
            this.lastTimestamp = firstTimestamp;
        }
    }

    /** A record read back. */
    public record Entry(long offset, long timestamp, String exchange, String routingKey, byte[] properties,
                        byte[] body) {
    }

    private final Path dir;
    private final CycleClock clock;
    private final SingleChronicleQueue queue;
    private final long maxSegmentBytes;
    private final List<Segment> segments = new ArrayList<>(); // ascending; guarded by this
    private final java.nio.channels.FileChannel lockChannel;
    private ExcerptAppender appender;
    private long nextOffset;                 // writer thread (published through committedEnd)
    private volatile long committedEnd;      // offsets below this are written (and synced, if asked)
    private FileChannel syncChannel;
    private int syncCycle = -1;
    private boolean dirty;
    private boolean newFile;

    private StreamLog(Path dir, CycleClock clock, SingleChronicleQueue queue, long maxSegmentBytes, FileChannel lock) {
        this.dir = dir;
        this.clock = clock;
        this.queue = queue;
        this.maxSegmentBytes = maxSegmentBytes;
        this.lockChannel = lock;
    }

    /** Opens (or creates) the stream in {@code dir}; segments roll once they exceed {@code maxSegmentBytes}. */
    public static StreamLog open(Path dir, long maxSegmentBytes) throws IOException {
        ChronicleSettings.apply();
        Files.createDirectories(dir);
        FileChannel lock = FileChannel.open(dir.resolve("warren.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (lock.tryLock() == null) {
                throw new StorageException("stream " + dir + " is in use by another process");
            }
            TreeMap<Integer, Path> existing = CycleFiles.list(dir);
            CycleClock clock = new CycleClock();
            clock.cycle(existing.isEmpty() ? wallCycle() : existing.lastKey());
            SingleChronicleQueue q = SingleChronicleQueueBuilder.single(dir.toFile())
                    .rollCycle(CycleClock.ROLL_CYCLE)
                    .timeProvider(clock)
                    .timeoutMS(CHRONICLE_TIMEOUT_MS)
                    .blockSize(BLOCK_SIZE)
                    .build();
            StreamLog s = new StreamLog(dir, clock, q, Math.max(1, maxSegmentBytes), lock);
            s.recover(existing);
            return s;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static int wallCycle() {
        return (int) (System.currentTimeMillis() / CycleClock.MILLIS_PER_CYCLE);
    }

    /** Rebuilds the segment list from the first and last record of each cycle file. */
    private void recover(TreeMap<Integer, Path> files) {
        try (ExcerptTailer t = queue.createTailer()) {
            for (int cycle : files.keySet()) {
                if (!t.moveToCycle(cycle)) {
                    continue;
                }
                Segment s = null;
                try (DocumentContext dc = t.readingDocument()) {
                    if (dc.isPresent() && CycleClock.cycleOf(dc.index()) == cycle) {
                        Bytes<?> b = dc.wire().bytes();
                        long start = b.readPosition();
                        s = new Segment(cycle, b.readLong(), b.readLong());
                        s.bytes = -start; // the last record's end is added below: the bytes between
                    }
                }
                if (s == null) {
                    continue; // created, never written: the next append writes to a new cycle anyway
                }
                segments.add(s);
            }
            for (int i = 0; i < segments.size(); i++) {
                Segment s = segments.get(i);
                long lastIndex = i + 1 < segments.size()
                        ? CycleClock.ROLL_CYCLE.toIndex(s.cycle, segments.get(i + 1).firstOffset - s.firstOffset - 1)
                        : queue.lastIndex();
                if (lastIndex >= 0 && t.moveToIndex(lastIndex)) {
                    try (DocumentContext dc = t.readingDocument()) {
                        if (dc.isPresent()) {
                            Bytes<?> b = dc.wire().bytes();
                            long offset = b.readLong();
                            s.lastTimestamp = b.readLong();
                            s.count = offset - s.firstOffset + 1;
                            s.bytes += b.readLimit() + 4; // from the first record's start to the last's end
                        }
                    }
                }
            }
        }
        for (Segment s : segments) {
            s.bytes = Math.max(0, s.bytes); // a last record that could not be read leaves no negative size
        }
        nextOffset = segments.isEmpty() ? 0 : last().firstOffset + last().count;
        committedEnd = nextOffset;
        // a fresh cycle for new appends: the old last file may end in a record torn by a crash
        clock.cycle(Math.max(clock.cycle() + 1, wallCycle()));
    }

    private Segment last() {
        return segments.get(segments.size() - 1);
    }

    // ---- writer thread ---------------------------------------------------------------------------

    /** The offset the next append gets. */
    public long nextOffset() {
        return nextOffset;
    }

    /** Appends one message at {@link #nextOffset()}; the caller encodes its properties for that offset. */
    public long append(long timestamp, String exchange, String routingKey, byte[] properties, byte[] body) {
        Segment tail;
        synchronized (this) {
            tail = segments.isEmpty() ? null : last();
        }
        if (tail != null && tail.bytes >= maxSegmentBytes) {
            clock.cycle(Math.max(clock.cycle() + 1, wallCycle()));
            newFile = true;
            tail = null;
        }
        if (appender == null) {
            appender = queue.createAppender();
        }
        long offset = nextOffset;
        long index;
        long length;
        DocumentContext dc = appender.writingDocument();
        try {
            Bytes<?> b = dc.wire().bytes();
            long start = b.writePosition();
            b.writeLong(offset);
            b.writeLong(timestamp);
            writeString(b, exchange);
            writeString(b, routingKey);
            b.writeInt(properties.length);
            b.write(properties);
            b.writeInt(body.length);
            b.write(body);
            length = b.writePosition() - start + 4; // plus Chronicle's header
        } catch (RuntimeException e) {
            dc.rollbackOnClose();
            dc.close();
            throw e;
        }
        dc.close();
        index = appender.lastIndexAppended();
        int cycle = CycleClock.cycleOf(index);
        synchronized (this) {
            if (tail == null || tail.cycle != cycle) {
                tail = new Segment(cycle, offset, timestamp);
                segments.add(tail);
                newFile = true;
            }
            tail.count++;
            tail.bytes += length;
            tail.lastTimestamp = timestamp;
        }
        nextOffset = offset + 1;
        dirty = true;
        return offset;
    }

    private static void writeString(Bytes<?> b, String s) {
        byte[] u = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        b.writeInt(u.length);
        b.write(u);
    }

    /**
     * Makes everything appended so far visible to readers; with {@code force}, first forces the segment
     * files to the device (fdatasync per touched file, as the message store's journal does).
     */
    public void commit(boolean force) throws IOException {
        if (force && dirty) {
            int cycle;
            synchronized (this) {
                cycle = segments.isEmpty() ? -1 : last().cycle;
            }
            if (cycle >= 0) {
                if (syncCycle != cycle || syncChannel == null) {
                    if (syncChannel != null) {
                        syncChannel.close();
                    }
                    syncChannel = FileChannel.open(CycleFiles.path(dir, cycle), StandardOpenOption.WRITE);
                    syncCycle = cycle;
                }
                syncChannel.force(false);
            }
            if (newFile) {
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true);
                }
                newFile = false;
            }
            dirty = false;
        }
        committedEnd = nextOffset;
    }

    /** Syncs whatever was appended and not yet forced (the timer of an interval sync policy). */
    public void syncNow() throws IOException {
        commit(true);
    }

    /**
     * Retention: drops whole segments from the head while the stream is over {@code maxBytes} (0: no limit)
     * or while a segment's newest message is older than {@code maxAgeMillis} (0: no limit). The segment being
     * written stays. Returns how many segments were dropped.
     */
    public int trim(long maxBytes, long maxAgeMillis, long nowMillis) {
        List<Segment> gone = new ArrayList<>();
        synchronized (this) {
            long total = 0;
            for (Segment s : segments) {
                total += s.bytes;
            }
            while (segments.size() > 1) {
                Segment head = segments.get(0);
                boolean tooBig = maxBytes > 0 && total > maxBytes;
                boolean tooOld = maxAgeMillis > 0 && head.lastTimestamp < nowMillis - maxAgeMillis;
                if (!tooBig && !tooOld) {
                    break;
                }
                segments.remove(0);
                total -= head.bytes;
                gone.add(head);
            }
        }
        for (Segment s : gone) {
            try {
                if (s.cycle == syncCycle && syncChannel != null) {
                    syncChannel.close();
                    syncChannel = null;
                }
                Files.deleteIfExists(CycleFiles.path(dir, s.cycle));
            } catch (IOException e) {
                log.warn("stream {}: cannot delete segment {}: {}", dir, CycleFiles.name(s.cycle), e.toString());
            }
        }
        if (!gone.isEmpty()) {
            queue.refreshDirectoryListing();
        }
        return gone.size();
    }

    // ---- any thread ------------------------------------------------------------------------------

    /** The oldest offset still in the stream (= {@link #end()} when it is empty). */
    public synchronized long firstOffset() {
        return segments.isEmpty() ? committedEnd : segments.get(0).firstOffset;
    }

    /** One past the last committed offset: readers read below this. */
    public long end() {
        return committedEnd;
    }

    /** Messages, bytes on disk and segments, consistent with each other. */
    public synchronized long[] stats() {
        long bytes = 0;
        for (Segment s : segments) {
            bytes += s.bytes;
        }
        long first = segments.isEmpty() ? committedEnd : segments.get(0).firstOffset;
        return new long[] {Math.max(0, committedEnd - first), bytes, segments.size()};
    }

    /** Where a segment's record for {@code offset} is, or -1 if it is no longer (or not yet) there. */
    synchronized long indexOf(long offset) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            Segment s = segments.get(i);
            if (offset >= s.firstOffset) {
                return offset < s.firstOffset + s.count ? CycleClock.ROLL_CYCLE.toIndex(s.cycle, offset - s.firstOffset) : -1;
            }
        }
        return -1;
    }

    /**
     * The first offset whose message arrived at or after {@code timestampMillis} (x-stream-offset as a
     * timestamp): whole segments are skipped by their newest message's time, then the one segment that
     * holds the answer is read from its start.
     */
    public long offsetAt(long timestampMillis) {
        Segment from = null;
        synchronized (this) {
            for (Segment s : segments) {
                if (s.lastTimestamp >= timestampMillis) {
                    from = s;
                    break;
                }
            }
        }
        if (from == null) {
            return end();
        }
        if (from.firstTimestamp >= timestampMillis) {
            return from.firstOffset;
        }
        try (StreamReader r = reader(from.firstOffset)) {
            long[] stamp = new long[2];
            while (r.peekTimestamp(stamp) && stamp[1] < timestampMillis) {
                r.skip();
            }
            return r.position();
        }
    }

    /** A reader positioned at {@code offset} (moved up to the first offset if that was trimmed away). */
    public StreamReader reader(long offset) {
        return new StreamReader(this, queue.createTailer(), offset);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            if (syncChannel != null) {
                syncChannel.close();
            }
        } catch (IOException e) {
            log.warn("stream {}: closing: {}", dir, e.toString());
        }
        if (appender != null) {
            appender.close();
        }
        queue.close();
        try {
            lockChannel.close();
        } catch (IOException e) {
            log.warn("stream {}: releasing lock: {}", dir, e.toString());
        }
    }

    /** Closes the log and deletes its directory with everything in it. */
    public void closeAndDelete() throws IOException {
        close();
        deleteTree(dir);
    }

    /** Deletes a directory tree (a stream's files, or one left half-deleted by a crash). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
