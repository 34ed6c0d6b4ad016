package io.warren.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes journal records. The {@link Journal} frames each record with its length; a record starts with a
 * type byte and ends with a CRC32C of everything before it, so that a record torn by a crash or damaged on
 * disk is detected on replay instead of being trusted. All numbers are little-endian.
 *
 * <pre>
 * PUBLISH      1 | messageId i64 | n i32 | queueId i64 * n | metaLen i32 | meta | bodyLen i64 | chunks i32 |
 *                (chunks == 0: body bytes) (chunks > 0: firstChunkIndex i64) | crc i32
 * BODY_CHUNK   2 | messageId i64 | seq i32 | len i32 | bytes | crc i32
 * SETTLE       3 | queueId i64 | n i32 | messageId i64 * n | crc i32
 * DELIVERED    4 | queueId i64 | n i32 | messageId i64 * n | crc i32
 * DELETE_QUEUE 5 | queueId i64 | crc i32
 * MARK         6 | highestId i64 | crc i32   (opens a segment; the highest message id issued so far)
 * </pre>
 * Bodies above {@link #CHUNK_SIZE} go in BODY_CHUNK records written just before their PUBLISH, so that no
 * record needs a write buffer of a 128 MiB message's size (the format began on Chronicle Queue, whose
 * excerpts were limited to a quarter of its block size). The PUBLISH comes last so that it is the commit
 * point: chunks without it are garbage. {@code firstChunkIndex} is the first chunk's location.
 * Not thread-safe: one per thread.
 */
final class RecordCodec {
    static final byte PUBLISH = 1;
    static final byte BODY_CHUNK = 2;
    static final byte SETTLE = 3;
    static final byte DELIVERED = 4;
    static final byte DELETE_QUEUE = 5;
    static final byte MARK = 6;

    static final int CHUNK_SIZE = 2 << 20;

    private final CRC32C crc = new CRC32C();
    private ByteBuffer head = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    static int chunkCount(long bodyLength) {
        return bodyLength <= CHUNK_SIZE ? 0 : (int) ((bodyLength + CHUNK_SIZE - 1) / CHUNK_SIZE);
    }

    /** @return the record's location */
    long writePublish(Journal out, Write.Publish p, long firstChunkIndex) {
        int chunks = chunkCount(p.body().length);
        ByteBuffer h = start(PUBLISH, 64 + 8 * p.queueIds().length + p.meta().length);
        h.putLong(p.messageId()).putInt(p.queueIds().length);
        for (long q : p.queueIds()) h.putLong(q);
        h.putInt(p.meta().length).put(p.meta());
        h.putLong(p.body().length).putInt(chunks);
        if (chunks > 0) h.putLong(firstChunkIndex);
        int inline = chunks == 0 ? p.body().length : 0;
        ByteBuffer b = beginRecord(out, inline);
        if (inline > 0) emit(b, p.body(), 0, inline);
        return finish(out, b);
    }

    long writeChunk(Journal out, long messageId, int seq, byte[] body, int off, int len) {
        start(BODY_CHUNK, 32).putLong(messageId).putInt(seq).putInt(len);
        ByteBuffer b = beginRecord(out, len);
        emit(b, body, off, len);
        return finish(out, b);
    }

    long writeIds(Journal out, byte type, long queueId, long[] ids) {
        ByteBuffer h = start(type, 32 + 8 * ids.length).putLong(queueId).putInt(ids.length);
        for (long id : ids) h.putLong(id);
        return finish(out, beginRecord(out, 0));
    }

    long writeDeleteQueue(Journal out, long queueId) {
        start(DELETE_QUEUE, 16).putLong(queueId);
        return finish(out, beginRecord(out, 0));
    }

    long writeMark(Journal out, long highestId) {
        start(MARK, 16).putLong(highestId);
        return finish(out, beginRecord(out, 0));
    }

    private ByteBuffer start(byte type, int capacity) {
        if (head.capacity() < capacity + 1) {
            head = ByteBuffer.allocate(Math.max(capacity + 1, head.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        head.clear();
        crc.reset();
        return head.put(type);
    }

    /** Opens the record in the journal (head, {@code dataBytes} to follow, CRC) and puts the head in. */
    private ByteBuffer beginRecord(Journal out, int dataBytes) {
        ByteBuffer b = out.begin(head.position() + dataBytes + 4);
        emit(b, head.array(), 0, head.position());
        return b;
    }

    private void emit(ByteBuffer b, byte[] bytes, int off, int len) {
        crc.update(bytes, off, len);
        b.put(bytes, off, len);
    }

    private long finish(Journal out, ByteBuffer b) {
        b.putInt((int) crc.getValue());
        return out.commit();
    }
}
