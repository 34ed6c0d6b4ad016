package io.warren.storage;

import net.openhft.chronicle.bytes.Bytes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes journal records into a Chronicle excerpt. Chronicle frames each excerpt with its length; we add
 * a type byte in front and a CRC32C of everything before it at the end, so that a record torn by a crash
 * or damaged on disk is detected on replay instead of being trusted. All numbers are little-endian.
 *
 * <pre>
 * PUBLISH      1 | messageId i64 | n i32 | queueId i64 * n | metaLen i32 | meta | bodyLen i64 | chunks i32 |
 *                (chunks == 0: body bytes) (chunks > 0: firstChunkIndex i64) | crc i32
 * BODY_CHUNK   2 | messageId i64 | seq i32 | len i32 | bytes | crc i32
 * SETTLE       3 | queueId i64 | n i32 | messageId i64 * n | crc i32
 * DELIVERED    4 | queueId i64 | n i32 | messageId i64 * n | crc i32
 * DELETE_QUEUE 5 | queueId i64 | crc i32
 * MARK         6 | highestId i64 | crc i32   (opens a cycle; the highest message id issued so far)
 * </pre>
 * Bodies above {@link #CHUNK_SIZE} go in BODY_CHUNK records written just before their PUBLISH, because one
 * Chronicle excerpt is limited to a quarter of the block size (16 MiB by default) and Warren allows
 * 128 MiB messages. The PUBLISH comes last so that it is the commit point: chunks without it are garbage.
 * Not thread-safe: one per thread.
 */
final class RecordCodec {
    static final byte PUBLISH = 1;
    static final byte BODY_CHUNK = 2;
    static final byte SETTLE = 3;
    static final byte DELIVERED = 4;
    static final byte DELETE_QUEUE = 5;
    static final byte MARK = 6;

    static final int CHUNK_SIZE = 2 << 20; // well under Chronicle's record limit (a quarter of Journal.BLOCK_SIZE)

    private final CRC32C crc = new CRC32C();
    private ByteBuffer head = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    static int chunkCount(long bodyLength) {
        return bodyLength <= CHUNK_SIZE ? 0 : (int) ((bodyLength + CHUNK_SIZE - 1) / CHUNK_SIZE);
    }

    void writePublish(Bytes<?> out, Write.Publish p, long firstChunkIndex) {
        int chunks = chunkCount(p.body().length);
        ByteBuffer h = start(PUBLISH, 64 + 8 * p.queueIds().length + p.meta().length);
        h.putLong(p.messageId()).putInt(p.queueIds().length);
        for (long q : p.queueIds()) h.putLong(q);
        h.putInt(p.meta().length).put(p.meta());
        h.putLong(p.body().length).putInt(chunks);
        if (chunks > 0) h.putLong(firstChunkIndex);
        emitHead(out);
        if (chunks == 0) emit(out, p.body(), 0, p.body().length);
        finish(out);
    }

    void writeChunk(Bytes<?> out, long messageId, int seq, byte[] body, int off, int len) {
        start(BODY_CHUNK, 32).putLong(messageId).putInt(seq).putInt(len);
        emitHead(out);
        emit(out, body, off, len);
        finish(out);
    }

    void writeIds(Bytes<?> out, byte type, long queueId, long[] ids) {
        ByteBuffer h = start(type, 32 + 8 * ids.length).putLong(queueId).putInt(ids.length);
        for (long id : ids) h.putLong(id);
        emitHead(out);
        finish(out);
    }

    void writeDeleteQueue(Bytes<?> out, long queueId) {
        start(DELETE_QUEUE, 16).putLong(queueId);
        emitHead(out);
        finish(out);
    }

    void writeMark(Bytes<?> out, long highestId) {
        start(MARK, 16).putLong(highestId);
        emitHead(out);
        finish(out);
    }

    private ByteBuffer start(byte type, int capacity) {
        if (head.capacity() < capacity + 1) {
            head = ByteBuffer.allocate(Math.max(capacity + 1, head.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        head.clear();
        crc.reset();
        return head.put(type);
    }

    private void emitHead(Bytes<?> out) {
        emit(out, head.array(), 0, head.position());
    }

    private void emit(Bytes<?> out, byte[] bytes, int off, int len) {
        crc.update(bytes, off, len);
        out.write(bytes, off, len);
    }

    private void finish(Bytes<?> out) {
        int c = (int) crc.getValue();
        head.clear();
        head.putInt(c);
        out.write(head.array(), 0, 4);
    }
}
