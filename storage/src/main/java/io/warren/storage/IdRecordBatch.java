package io.warren.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivered marks and settles of one writer batch, gathered per queue so that the batch writes one
 * DELIVERED and one SETTLE record per queue instead of one record per broker call (a consumer acking
 * one message at a time would otherwise cost the journal a record, a length field and a CRC per
 * message). The records keep their meaning: a mark or settle may only move <em>later</em> in the journal
 * than where it was submitted, which is always after the publish it refers to; the writer writes what
 * is gathered before anything that could care about the order (a queue deletion, a control task) and at
 * the end of the batch, before its sync. Per queue the DELIVERED record goes first, so a message that
 * was delivered and settled in the same batch is replayed in that order.
 */
final class IdRecordBatch {
    /** Ids per record: 64 KiB records, far under the largest record replay trusts. */
    static final int MAX_IDS = 8192;

    static final class Ids {
        long[] ids = new long[16];
        int size;

        void add(long[] more) {
            if (size + more.length > ids.length) ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + more.length));
            System.arraycopy(more, 0, ids, size, more.length);
            size += more.length;
        }

        long[] toArray() {
            return Arrays.copyOf(ids, size);
        }
    }

    private final Map<Long, Ids> delivered = new LinkedHashMap<>();
    private final Map<Long, Ids> settled = new LinkedHashMap<>();
    private final List<Pending> pendings = new ArrayList<>();
    private int ids;

    /** Takes the write of {@code p}, which must be a {@link Write.Delivered} or {@link Write.Settle}. */
    void add(Pending p) {
        if (p.write instanceof Write.Delivered d) {
            delivered.computeIfAbsent(d.queueId(), q -> new Ids()).add(d.messageIds());
            ids += d.messageIds().length;
        } else {
            Write.Settle s = (Write.Settle) p.write;
            settled.computeIfAbsent(s.queueId(), q -> new Ids()).add(s.messageIds());
            ids += s.messageIds().length;
        }
        pendings.add(p);
    }

    boolean isEmpty() {
        return pendings.isEmpty();
    }

    /** Enough gathered that it should be written now. */
    boolean full() {
        return ids >= MAX_IDS;
    }

    Map<Long, Ids> delivered() {
        return delivered;
    }

    Map<Long, Ids> settled() {
        return settled;
    }

    /** The submitted writes gathered here, to be completed with the outcome of the records. */
    List<Pending> pendings() {
        return pendings;
    }

    void clear() {
        delivered.clear();
        settled.clear();
        pendings.clear();
        ids = 0;
    }
}
