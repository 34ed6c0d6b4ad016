package io.warren.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads records out of the journal's segment files with positional reads through a read-ahead window, so
 * that reading records in the order they were written (replay, a consumer draining a backlog) costs one
 * {@code pread} per window, not one per record. Files are append-only: bytes once read never change, and a
 * record handed out by the writer is complete in the file before anyone asks for it. Not thread-safe.
 */
final class SegmentReader implements AutoCloseable {
    /** What {@link #read} found at an offset. */
    enum Found {
        /** an intact record, now in the {@link RecordReader}; the next starts at {@link #next()} */
        RECORD,
        /** a record whose framing holds but whose content fails its checksum; the next starts at {@link #next()} */
        DAMAGED,
        /** the end of the data: the end of the file, or a zero length (space a crash left unwritten) */
        END,
        /**
         * the file ends inside the record, or its CRC and all after it are zeros: a write the process did not
         * finish (a {@code kill -9} can cut a {@code write} short between pages), so nobody was told the
         * record was stored
         */
        UNFINISHED,
        /** a length that cannot be (damage): nothing after it can be trusted */
        TORN
    }

    static final int WINDOW_BYTES = 256 << 10;
    private static final int OPEN_FILES = 4;

    private final Path dir;
    /** Open segment files, least recently used first. */
    private final LinkedHashMap<Integer, FileChannel> files = new LinkedHashMap<>(8, 0.75f, true);
    private final ByteBuffer window = ByteBuffer.allocateDirect(WINDOW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private int windowSegment = -1;
    private long windowStart;
    private int windowLength;
    private long next;
    /** Windows read so far (to tell a window read for this record from an older one). */
    private long fills;

    SegmentReader(Path dir) {
        this.dir = dir;
    }

    /** Where the record after the last one {@link #read} framed starts. */
    long next() {
        return next;
    }

    /**
     * Reads the record at {@code offset} of {@code segment} into {@code into}. A window read earlier may hold
     * the zeros of a prepared file where records were written since (reads near the end of the journal): what
     * is not an intact record there is looked at again in the file before it is believed.
     */
    Found read(int segment, long offset, RecordReader into) throws IOException {
        long fillsBefore = fills;
        Found found = readInWindow(segment, offset, into);
        if (found != Found.RECORD && fills == fillsBefore) { // not read from the file just now
            fill(segment, offset);
            found = readInWindow(segment, offset, into);
        }
        return found;
    }

    private Found readInWindow(int segment, long offset, RecordReader into) throws IOException {
        if (!inWindow(segment, offset, 4)) fill(segment, offset);
        if (!inWindow(segment, offset, 4)) return Found.END;
        window.clear(); // absolute reads check the limit; inWindow has checked the data
        int length = window.getInt((int) (offset - windowStart));
        if (length == 0) return Found.END;
        if (length < 5 || length > Journal.MAX_RECORD) return Found.TORN;
        next = offset + 4 + length;
        boolean intact;
        if (length + 4 <= WINDOW_BYTES) {
            if (!inWindow(segment, offset, length + 4)) fill(segment, offset);
            if (!inWindow(segment, offset, length + 4)) return Found.UNFINISHED;
            int at = (int) (offset - windowStart) + 4;
            window.limit(at + length).position(at);
            intact = into.load(window);
        } else {
            ByteBuffer big = ByteBuffer.allocate(length);
            if (readFully(file(segment), big, offset + 4) < length) return Found.UNFINISHED;
            big.flip();
            intact = into.load(big);
        }
        if (intact) return Found.RECORD;
        return unwritten(segment, offset + length) ? Found.UNFINISHED : Found.DAMAGED;
    }

    /**
     * A record that fails its checksum in a segment written ahead of time (zeros) can be a write that a kill
     * cut short: the kernel copies a write page by page, so its end, the CRC, and everything after it stayed
     * zero. Damage does not look like that: its CRC is there, or data follows.
     * @param crcAt the record's CRC field; the next record's length follows it
     */
    private boolean unwritten(int segment, long crcAt) throws IOException {
        ByteBuffer tail = ByteBuffer.allocate(8);
        readFully(file(segment), tail, crcAt);
        for (int i = 0; i < tail.position(); i++) {
            if (tail.get(i) != 0) return false;
        }
        return true;
    }

    private boolean inWindow(int segment, long offset, int bytes) {
        return segment == windowSegment && offset >= windowStart && offset + bytes <= windowStart + windowLength;
    }

    private void fill(int segment, long offset) throws IOException {
        fills++;
        windowSegment = -1;
        window.clear();
        windowLength = readFully(file(segment), window, offset);
        windowSegment = segment;
        windowStart = offset;
    }

    private static int readFully(FileChannel ch, ByteBuffer dst, long at) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, at + total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    private FileChannel file(int segment) throws IOException {
        FileChannel ch = files.get(segment);
        if (ch != null && ch.isOpen()) return ch;
        ch = FileChannel.open(SegmentFiles.path(dir, segment), StandardOpenOption.READ);
        files.put(segment, ch);
        if (files.size() > OPEN_FILES) {
            Iterator<Map.Entry<Integer, FileChannel>> eldest = files.entrySet().iterator();
            closeQuietly(eldest.next().getValue());
            eldest.remove();
        }
        return ch;
    }

    /** Forgets the window and closes every file (some were deleted, or the reader is going idle). */
    void reset() {
        windowSegment = -1;
        for (FileChannel ch : files.values()) closeQuietly(ch);
        files.clear();
    }

    @Override
    public void close() {
        reset();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // read-only: nothing is lost
        }
    }
}
