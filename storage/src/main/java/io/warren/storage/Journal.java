package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The message store's journal: append-only segment files ({@link SegmentFiles}) of length-framed records
 * ({@link RecordCodec}), written with {@code write(2)} and forced with {@code fdatasync}. Appending,
 * rolling, syncing and deleting happen on the writer thread only.
 *
 * <p>A record is {@code [length i32 LE][record]}; its location is {@code segment << 32 | offset} of the
 * length field. A length of zero is the end of a segment's data: segments are written ahead of time full of
 * zeros ({@link SegmentPreparer}), and a crash can extend a file without its data.
 *
 * <p>Why not memory-mapped (Chronicle Queue, before): with a shared mapping each {@code fdatasync} has the
 * kernel write-protect every page it writes back, and the next store into that page faults again. Measured
 * here (ext4, 32 KiB batches): {@code fdatasync} took 358 µs at the median after stores into a mapping and
 * 165 µs after {@code write}; the writer thread spent 120 µs of CPU per batch against 82. Records are
 * gathered in one direct buffer and written out once per batch ({@link #flush}), so a batch costs one
 * {@code write} and one {@code fdatasync}, and nothing of the journal stays mapped in the broker's memory.
 */
final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    /** Where the write buffer starts; records larger than it get a buffer of their own size. */
    private static final int BUFFER_BYTES = 1 << 20;
    /** The largest record replay believes a length field for: a 2 MiB body chunk plus any header. */
    static final int MAX_RECORD = 64 << 20;

    private final Path dir;
    private final FileChannel lockChannel;
    private final RecordCodec codec = new RecordCodec();
    /** Earlier segments written to since the last sync (a roll left them behind): forced, then closed. */
    private final List<FileChannel> unsyncedBehind = new ArrayList<>();
    private ByteBuffer buffer = newBuffer(BUFFER_BYTES);
    /** The segment being written, its channel, and how much of it is in the file (the buffer follows). */
    private int segment;
    private FileChannel out;
    private long written;
    private int recordStart = -1;
    private boolean dirty;
    private boolean createdFileSinceSync;
    private long segmentBytes;
    private long segmentStartNanos = System.nanoTime();
    private volatile long syncs;
    private LongSupplier highestId = () -> 0;
    /** Writes the next segment ahead of time, or null: each roll creates an empty file. */
    private SegmentPreparer preparer;
    /** A failed write or sync leaves the file in an unknown state: every later write fails with it. */
    private IOException broken;

    private Journal(Path dir, FileChannel lockChannel, int lastSegment) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.segment = lastSegment;
    }

    static Journal open(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel lock = lockDirectory(dir);
        try {
            TreeMap<Integer, Path> existing = SegmentFiles.list(dir);
            return new Journal(dir, lock, existing.isEmpty() ? 0 : existing.lastKey());
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * One process per journal: an OS lock on {@code warren.lock}, released by the kernel when the process
     * dies however it dies, so it never goes stale.
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

    private static ByteBuffer newBuffer(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int cycleOf(long location) {
        return (int) (location >>> 32);
    }

    static long offsetOf(long location) {
        return location & 0xFFFF_FFFFL;
    }

    static long location(int segment, long offset) {
        return ((long) segment << 32) | offset;
    }

    RecordCodec codec() {
        return codec;
    }

    Path dir() {
        return dir;
    }

    int currentCycle() {
        return segment;
    }

    long cycleBytes() {
        return segmentBytes;
    }

    long cycleAgeNanos() {
        return System.nanoTime() - segmentStartNanos;
    }

    /**
     * From the next roll on, segments are written ahead of time, zero-filled and synced, up to
     * {@code maxBytes} each, while {@code freeSpace} leaves room (see {@link SegmentPreparer}). Call before the
     * writer starts.
     */
    void prepareAhead(long maxBytes, LongSupplier freeSpace) throws IOException {
        preparer = new SegmentPreparer(dir, maxBytes, freeSpace);
    }

    /** Tests: the preparer, or null. */
    SegmentPreparer preparer() {
        return preparer;
    }

    /** Where {@link #roll} reads the highest message id issued so far, recorded in each new file's MARK. */
    void highestIdSource(LongSupplier source) {
        highestId = source;
    }

    /** Moves writing to a new segment file, numbered above every existing one, and opens it with a MARK. */
    void roll() {
        checkUsable();
        try {
            flush();
            TreeMap<Integer, Path> existing = SegmentFiles.list(dir);
            int next = Math.max(segment, existing.isEmpty() ? 0 : existing.lastKey()) + 1;
            Path file = SegmentFiles.path(dir, next);
            Path prepared = preparer == null ? null : preparer.takeIfReady();
            if (prepared != null) Files.move(prepared, file); // its directory entry is synced with the next sync
            FileChannel ch = prepared != null ? FileChannel.open(file, StandardOpenOption.WRITE)
                    : FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (out != null) {
                if (dirty) unsyncedBehind.add(out); else out.close();
            }
            out = ch;
            segment = next;
            written = 0;
        } catch (IOException e) {
            throw failed(e);
        }
        createdFileSinceSync = true;
        dirty = true;
        if (preparer != null) preparer.prepare(preparer.sizeAfter(segmentBytes));
        segmentBytes = 0;
        segmentStartNanos = System.nanoTime();
        codec.writeMark(this, highestId.getAsLong());
    }

    /**
     * Starts a record of exactly {@code bytes} bytes: put them into the returned buffer, then {@link #commit()}
     * (or {@link #abort()}).
     */
    ByteBuffer begin(int bytes) {
        checkUsable();
        if (out == null) throw new IllegalStateException("no segment open: roll() first");
        int need = bytes + 4;
        if (buffer.remaining() < need) {
            try {
                flush();
            } catch (IOException e) {
                throw failed(e);
            }
            if (buffer.capacity() < need) buffer = newBuffer(Math.max(need, BUFFER_BYTES));
        }
        recordStart = buffer.position();
        buffer.putInt(bytes);
        return buffer;
    }

    /** @return the record's location */
    long commit() {
        int start = recordStart;
        recordStart = -1;
        int length = buffer.position() - start - 4;
        if (length != buffer.getInt(start)) {
            buffer.position(start);
            throw new IllegalStateException("record of " + length + " bytes announced " + buffer.getInt(start));
        }
        long offset = written + start;
        segmentBytes += length + 4;
        dirty = true;
        return location(segment, offset);
    }

    void abort() {
        if (recordStart >= 0) {
            buffer.position(recordStart);
            recordStart = -1;
        }
    }

    /** Appends one record's bytes as they are (the legacy import copies records over). */
    long appendRaw(byte[] record, int off, int len) {
        begin(len).put(record, off, len);
        return commit();
    }

    /** Writes what is buffered to the file (no sync): readers see it from here on. */
    void flush() throws IOException {
        if (broken != null) throw broken;
        if (buffer.position() == 0) return;
        buffer.flip();
        try {
            while (buffer.hasRemaining()) written += out.write(buffer, written + buffer.position());
        } catch (IOException e) {
            throw failed(e);
        } finally {
            buffer.clear();
        }
    }

    /** An idle journal gives back a write buffer that a large record grew. */
    void releaseBuffer() {
        if (buffer.capacity() > BUFFER_BYTES && buffer.position() == 0) buffer = newBuffer(BUFFER_BYTES);
    }

    boolean hasUnsynced() {
        return dirty;
    }

    /** Writes out and forces every segment written since the last sync, and the directory after a roll. */
    void sync() throws IOException {
        if (out == null) return; // nothing was ever written
        flush();
        try {
            for (FileChannel behind : unsyncedBehind) {
                behind.force(false);
                behind.close();
            }
            unsyncedBehind.clear();
            out.force(false);
            if (createdFileSinceSync) {
                // A new file's directory entry must survive too.
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true);
                }
                createdFileSinceSync = false;
            }
        } catch (IOException e) {
            throw failed(e);
        }
        dirty = false;
        syncs++;
    }

    /** Syncs done so far; tests check group commit with it. */
    long syncCount() {
        return syncs;
    }

    /** Deletes a segment whose every message is settled (never the one being written). */
    void delete(int cycle) throws IOException {
        if (cycle == segment) throw new IllegalArgumentException("segment " + cycle + " is being written");
        Path file = SegmentFiles.path(dir, cycle);
        String grave = System.getProperty("warren.storage.graveyard");
        if (grave != null && Files.exists(file)) {
            // Diagnostics (CrashTest): keep a hard link to every deleted file for a post-mortem.
            Path g = Path.of(grave);
            Files.createDirectories(g);
            Files.deleteIfExists(g.resolve(SegmentFiles.name(cycle)));
            Files.createLink(g.resolve(SegmentFiles.name(cycle)), file);
        }
        Files.deleteIfExists(file);
    }

    private void checkUsable() {
        if (broken != null) throw new StorageException("journal unusable after an earlier failure", broken);
    }

    private StorageException failed(IOException e) {
        if (broken == null) broken = e;
        return new StorageException("journal write failed", e);
    }

    /** Writes out what is buffered (a caller that needs it durable syncs first) and closes the files. */
    @Override
    public void close() {
        abort();
        try {
            if (out != null && broken == null) flush();
        } catch (IOException | RuntimeException e) {
            log.warn("writing out the journal's last records at close failed", e);
        }
        for (FileChannel behind : unsyncedBehind) closeQuietly(behind);
        unsyncedBehind.clear();
        if (out != null) closeQuietly(out);
        if (preparer != null) preparer.close();
        try {
            lockChannel.close(); // releases the directory lock
        } catch (IOException e) {
            log.warn("releasing journal lock", e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            log.warn("closing journal file", e);
        }
    }
}
