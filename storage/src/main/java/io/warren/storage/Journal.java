package io.warren.storage;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Chronicle queue under the message store: appends records, rolls cycle files when told, forces
 * them to disk, deletes them. Appending, rolling, syncing and deleting happen on the writer thread only.
 *
 * <p>Why {@code fdatasync} on the cycle file rather than Chronicle's {@code appender.sync()}: on this
 * Chronicle version {@code sync()} msyncs only the mapped chunk the appender currently sits in, from the
 * last synced page up to the write position. A batch can straddle two chunks or a roll, and Chronicle
 * also updates index pages and the header's write position behind that range. On Linux,
 * {@code msync(MS_SYNC)} on a shared file mapping is {@code vfs_fsync_range} on the file, and
 * {@code fdatasync} on the same file writes back every dirty page of it, mapped or not. So one
 * {@link FileChannel#force(boolean) force(false)} per touched file covers data, index and header at once.
 */
final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    static final RollCycle ROLL_CYCLE = LegacyRollCycles.MINUTELY;
    /**
     * Chronicle maps a journal file in blocks of this size, and the block being written stays resident
     * (counted in the broker's RSS) while it is written: 16 MiB rather than Chronicle's 64 MiB keeps a
     * publishing broker's footprint down. One record may then be up to a quarter of it (4 MiB), hence
     * {@link RecordCodec#CHUNK_SIZE}.
     */
    static final long BLOCK_SIZE = 16L << 20;
    /** Chronicle waits this long for a header left incomplete by a killed writer before overwriting it. */
    private static final long CHRONICLE_TIMEOUT_MS = 200;

    static {
        // Before any Chronicle class initialises (they read these properties once).
        ChronicleSettings.apply();
    }

    private final Path dir;
    private final CycleClock clock;
    private final SingleChronicleQueue queue;
    private final RecordCodec codec = new RecordCodec();
    private final Set<Integer> dirtyCycles = new HashSet<>();
    private ExcerptAppender appender;
    private DocumentContext open;
    private long openStart;
    private FileChannel channel;
    private int channelCycle = -1;
    private boolean createdFileSinceSync;
    private long cycleBytes;
    private long cycleStartNanos = System.nanoTime();
    private volatile long syncs;
    private volatile java.util.function.LongSupplier highestId = () -> 0;

    private final FileChannel lockChannel;

    private Journal(Path dir, SingleChronicleQueue queue, CycleClock clock, FileChannel lockChannel) {
        this.dir = dir;
        this.queue = queue;
        this.clock = clock;
        this.lockChannel = lockChannel;
    }

    static Journal open(Path dir) throws IOException {
        ChronicleSettings.apply();
        Files.createDirectories(dir);
        FileChannel lock = lockDirectory(dir);
        try {
            return open(dir, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * One process per journal: an OS lock on {@code warren.lock}, released by the kernel when the process
     * dies however it dies, so it never goes stale (unlike Chronicle's PID-in-a-file lock).
     */
    private static FileChannel lockDirectory(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve("warren.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (ch.tryLock() != null) return ch;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // held by this JVM
        }
        ch.close();
        throw new StorageException("journal " + dir + " is in use by another message store");
    }

    private static Journal open(Path dir, FileChannel lock) throws IOException {
        quarantineBrokenFiles(dir);
        TreeMap<Integer, Path> existing = CycleFiles.list(dir);
        CycleClock clock = new CycleClock();
        // Chronicle reads the clock while building; point it at the newest file so it opens quietly.
        clock.cycle(existing.isEmpty() ? wallCycle() : existing.lastKey());
        SingleChronicleQueue q = SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(ROLL_CYCLE)
                .timeProvider(clock)
                .timeoutMS(CHRONICLE_TIMEOUT_MS)
                .blockSize(BLOCK_SIZE)
                .build();
        return new Journal(dir, q, clock, lock);
    }

    private static int wallCycle() {
        return (int) (System.currentTimeMillis() / CycleClock.MILLIS_PER_CYCLE);
    }

    /**
     * A cycle file whose very first header is missing or incomplete was being created when the machine
     * died; Chronicle would wait on it and then fail. It holds no records, so it is moved aside.
     */
    private static void quarantineBrokenFiles(Path dir) throws IOException {
        for (Path p : CycleFiles.list(dir).values()) {
            int header = 0;
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                if (ch.read(b, 0) == 4) header = b.getInt(0);
            }
            if (header <= 0) { // zero: never written; negative: Chronicle's not-complete bit
                Path aside = dir.resolve("quarantine");
                Files.createDirectories(aside);
                Files.move(p, aside.resolve(p.getFileName()));
                log.warn("journal file {} has no complete header (crash while it was created); moved to {}",
                        p.getFileName(), aside);
            }
        }
    }

    SingleChronicleQueue queue() {
        return queue;
    }

    ExcerptTailer newTailer() {
        return queue.createTailer();
    }

    RecordCodec codec() {
        return codec;
    }

    Path dir() {
        return dir;
    }

    int currentCycle() {
        return clock.cycle();
    }

    static int cycleOf(long index) {
        return ROLL_CYCLE.toCycle(index);
    }

    long cycleBytes() {
        return cycleBytes;
    }

    long cycleAgeNanos() {
        return System.nanoTime() - cycleStartNanos;
    }

    /** Where {@link #roll} reads the highest message id issued so far, recorded in each new file's MARK. */
    void highestIdSource(java.util.function.LongSupplier source) {
        highestId = source;
    }

    /** Moves writing to a new cycle file, numbered above every existing one, and opens it with a MARK. */
    void roll() {
        TreeMap<Integer, Path> existing;
        try {
            existing = CycleFiles.list(dir);
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir, e);
        }
        int next = Math.max(clock.cycle() + 1, wallCycle());
        if (!existing.isEmpty()) next = Math.max(next, existing.lastKey() + 1);
        clock.cycle(next);
        createdFileSinceSync = true;
        cycleBytes = 0;
        cycleStartNanos = System.nanoTime();
        codec.writeMark(begin(), highestId.getAsLong());
        commit();
    }

    /** Starts a record; write it into the returned bytes, then {@link #commit()} or {@link #abort()}. */
    Bytes<?> begin() {
        if (appender == null) appender = queue.createAppender();
        open = appender.writingDocument();
        Bytes<?> b = open.wire().bytes();
        openStart = b.writePosition();
        return b;
    }

    /** @return the record's index, its location */
    long commit() {
        DocumentContext dc = open;
        open = null;
        long length = dc.wire().bytes().writePosition() - openStart;
        dc.close();
        long index = appender.lastIndexAppended();
        cycleBytes += length + 4; // plus Chronicle's 4-byte header
        dirtyCycles.add(cycleOf(index));
        return index;
    }

    void abort() {
        DocumentContext dc = open;
        open = null;
        if (dc != null) {
            dc.rollbackOnClose();
            dc.close();
        }
    }

    /**
     * Lets go of the appender, and with it the mapped block it writes in (up to twice {@link #BLOCK_SIZE} of
     * the broker's resident memory), so an idle broker does not keep it. The next {@link #begin} maps it again.
     */
    void releaseAppender() {
        if (appender != null && open == null) {
            appender.close();
            appender = null;
        }
    }

    boolean hasUnsynced() {
        return !dirtyCycles.isEmpty();
    }

    /** Forces every cycle file written since the last sync to the device (see class comment). */
    void sync() throws IOException {
        for (int c : dirtyCycles) channelFor(c).force(false);
        if (createdFileSinceSync) {
            // A new file's directory entry and Chronicle's listing must survive too.
            Path meta = dir.resolve("metadata.cq4t");
            if (Files.exists(meta)) {
                try (FileChannel m = FileChannel.open(meta, StandardOpenOption.WRITE)) {
                    m.force(false);
                }
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
            createdFileSinceSync = false;
        }
        dirtyCycles.clear();
        syncs++;
    }

    /** Syncs done so far; tests check group commit with it. */
    long syncCount() {
        return syncs;
    }

    private FileChannel channelFor(int cycle) throws IOException {
        if (channelCycle != cycle || channel == null || !channel.isOpen()) {
            if (channel != null) channel.close();
            channel = FileChannel.open(CycleFiles.path(dir, cycle), StandardOpenOption.WRITE);
            channelCycle = cycle;
        }
        return channel;
    }

    /** Deletes a cycle file whose every message is settled. */
    void delete(int cycle) throws IOException {
        if (cycle == channelCycle && channel != null) {
            channel.close();
            channel = null;
            channelCycle = -1;
        }
        dirtyCycles.remove(cycle);
        String grave = System.getProperty("warren.storage.graveyard");
        if (grave != null && Files.exists(CycleFiles.path(dir, cycle))) {
            // Diagnostics (CrashTest): keep a hard link to every deleted file for a post-mortem.
            Path g = Path.of(grave);
            Files.createDirectories(g);
            Files.deleteIfExists(g.resolve(CycleFiles.name(cycle)));
            Files.createLink(g.resolve(CycleFiles.name(cycle)), CycleFiles.path(dir, cycle));
        }
        Files.deleteIfExists(CycleFiles.path(dir, cycle));
        queue.refreshDirectoryListing();
    }

    @Override
    public void close() {
        abort();
        try {
            if (channel != null) channel.close();
        } catch (IOException e) {
            log.warn("closing journal channel", e);
        }
        if (appender != null) appender.close();
        queue.close();
        try {
            lockChannel.close(); // releases the directory lock
        } catch (IOException e) {
            log.warn("releasing journal lock", e);
        }
    }
}
