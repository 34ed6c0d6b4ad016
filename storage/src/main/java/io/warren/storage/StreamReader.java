package io.warren.storage;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.charset.StandardCharsets;

/**
 * One consumer's cursor in a {@link StreamLog}: reads forward from an offset with its own Chronicle
 * tailer, so a reader holds no messages, only its position. Used by one thread at a time. If retention
 * dropped the segment the reader was in, it carries on at the stream's new first offset.
 */
public final class StreamReader implements AutoCloseable {
    private final StreamLog log;
    private final ExcerptTailer tailer;
    private long position;      // the offset read next
    private boolean placed;     // the tailer sits at position's record

    StreamReader(StreamLog log, ExcerptTailer tailer, long offset) {
        this.log = log;
        this.tailer = tailer;
        this.position = offset;
    }

    /** The offset {@link #next} reads. */
    public long position() {
        return position;
    }

    /** Whether a committed message waits at the position. */
    public boolean hasNext() {
        return position < log.end();
    }

    /** The next committed message, or null if there is none yet. */
    public StreamLog.Entry next() {
        if (!place()) {
            return null;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                placed = false;
                return null;
            }
            Bytes<?> b = dc.wire().bytes();
            long offset = b.readLong();
            long timestamp = b.readLong();
            String exchange = readString(b);
            String routingKey = readString(b);
            byte[] props = readBytes(b);
            byte[] body = readBytes(b);
            if (offset != position) { // never expected: the arithmetic and the file disagree
                throw new StorageException("stream " + log.dir() + ": found offset " + offset + " where "
                        + position + " should be");
            }
            position = offset + 1;
            return new StreamLog.Entry(offset, timestamp, exchange, routingKey, props, body);
        }
    }

    /** Reads the next record's offset and timestamp into {@code out} without moving past it. */
    boolean peekTimestamp(long[] out) {
        if (!place()) {
            return false;
        }
        long index = tailer.index();
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                placed = false;
                return false;
            }
            Bytes<?> b = dc.wire().bytes();
            out[0] = b.readLong();
            out[1] = b.readLong();
            dc.rollbackOnClose(); // leave it unread
        }
        if (tailer.index() != index) {
            tailer.moveToIndex(index);
        }
        return true;
    }

    /** Moves past one record without reading it. */
    void skip() {
        if (place()) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (dc.isPresent()) {
                    position++;
                } else {
                    placed = false;
                }
            }
        }
    }

    /** Puts the tailer at the position's record; false if nothing committed is there yet. */
    private boolean place() {
        long first = log.firstOffset();
        if (position < first) { // retention dropped what this reader had not read
            position = first;
            placed = false;
        }
        if (position >= log.end()) {
            return false;
        }
        if (!placed) {
            long index = log.indexOf(position);
            if (index < 0 || !tailer.moveToIndex(index)) {
                return false;
            }
            placed = true;
        }
        return true;
    }

    private static String readString(Bytes<?> b) {
        return new String(readBytes(b), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(Bytes<?> b) {
        int n = b.readInt();
        byte[] out = new byte[n];
        b.read(out);
        return out;
    }

    @Override
    public void close() {
        tailer.close();
    }
}
