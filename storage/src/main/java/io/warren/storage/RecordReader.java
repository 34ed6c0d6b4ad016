package io.warren.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Reads one journal record (see {@link RecordCodec} for the layout) into a reusable heap buffer, checks its
 * CRC32C and parses its fields. A flyweight: fields are valid until the next {@link #load}. Not thread-safe:
 * one per thread.
 */
final class RecordReader {
    private final CRC32C crc = new CRC32C();
    private byte[] buf = new byte[64 << 10];
    private ByteBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    private int length;

    byte type;
    long messageId;      // PUBLISH, BODY_CHUNK
    long[] queueIds;     // PUBLISH
    int metaOffset;      // PUBLISH
    int metaLength;      // PUBLISH
    long bodyLength;     // PUBLISH
    int chunks;          // PUBLISH
    long firstChunkIndex; // PUBLISH with chunks
    int dataOffset;      // PUBLISH inline body, BODY_CHUNK bytes
    int dataLength;      // PUBLISH inline body, BODY_CHUNK bytes
    int chunkSeq;        // BODY_CHUNK
    long queueId;        // SETTLE, DELIVERED, DELETE_QUEUE
    long[] ids;          // SETTLE, DELIVERED

    /**
     * Copies the record in (the buffer's remaining bytes; its position moves past them) and validates it.
     *
     * @return false if the record is torn or damaged (bad length, bad checksum, unknown type, bad fields)
     */
    boolean load(ByteBuffer in) {
        int remaining = in.remaining();
        if (remaining < 5) {
            in.position(in.limit());
            return false;
        }
        length = remaining;
        if (buf.length < length) {
            buf = new byte[Math.max(length, buf.length * 2)];
            view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        }
        in.get(buf, 0, length);
        crc.reset();
        crc.update(buf, 0, length - 4);
        view.clear();
        if ((int) crc.getValue() != view.getInt(length - 4)) return false;
        try {
            return parse();
        } catch (RuntimeException e) {
            // A record with a valid checksum but impossible fields is a writer bug; treat it as damage.
            return false;
        }
    }

    private boolean parse() {
        ByteBuffer v = view;
        v.limit(length - 4).position(1);
        type = buf[0];
        switch (type) {
            case RecordCodec.PUBLISH -> {
                messageId = v.getLong();
                int n = v.getInt();
                if (n <= 0 || n * 8L > v.remaining()) return false;
                queueIds = new long[n];
                for (int i = 0; i < n; i++) queueIds[i] = v.getLong();
                metaLength = v.getInt();
                metaOffset = v.position();
                v.position(metaOffset + metaLength);
                bodyLength = v.getLong();
                chunks = v.getInt();
                if (chunks > 0) {
                    firstChunkIndex = v.getLong();
                    dataOffset = v.position();
                    dataLength = 0;
                } else {
                    dataOffset = v.position();
                    dataLength = v.remaining();
                    if (dataLength != bodyLength) return false;
                }
                return true;
            }
            case RecordCodec.BODY_CHUNK -> {
                messageId = v.getLong();
                chunkSeq = v.getInt();
                dataLength = v.getInt();
                dataOffset = v.position();
                return dataLength == v.remaining();
            }
            case RecordCodec.SETTLE, RecordCodec.DELIVERED -> {
                queueId = v.getLong();
                int n = v.getInt();
                if (n < 0 || n * 8L != v.remaining()) return false;
                ids = new long[n];
                for (int i = 0; i < n; i++) ids[i] = v.getLong();
                return true;
            }
            case RecordCodec.DELETE_QUEUE -> {
                queueId = v.getLong();
                return true;
            }
            case RecordCodec.MARK -> {
                messageId = v.remaining() >= 8 ? v.getLong() : 0; // marks of the first format carried nothing
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    byte[] meta() {
        byte[] m = new byte[metaLength];
        System.arraycopy(buf, metaOffset, m, 0, metaLength);
        return m;
    }

    /** Copies this record's data (inline body or chunk bytes) into {@code dst} at {@code at}. */
    void copyData(byte[] dst, int at) {
        System.arraycopy(buf, dataOffset, dst, at, dataLength);
    }
}
