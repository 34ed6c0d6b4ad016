package io.warren.broker.persist;

import io.warren.broker.model.QueueEntry;
import io.warren.broker.model.QueueJournal;
import io.warren.storage.MessageStore;
import io.warren.storage.Write;
import io.netty.util.internal.ThreadExecutorMap;

import java.util.List;

/**
 * One durable queue's journal: fire-and-forget store records (the store orders and syncs them). Delivered
 * marks and settles made on an event loop reach the store's writer together at the end of the loop's
 * current run ({@link MessageStore#submitFromLoop}); a queue deletion goes at once.
 */
final class StoredQueueJournal implements QueueJournal {
    private final MessageStore store;
    private final long queueId;

    StoredQueueJournal(MessageStore store, long queueId) {
        this.store = store;
        this.queueId = queueId;
    }

    long queueId() {
        return queueId;
    }

    @Override
    public void delivered(QueueEntry entry) {
        long id = entry.message().storeId();
        if (id != 0) {
            store.submitFromLoop(new Write.Delivered(queueId, id), ThreadExecutorMap.currentExecutor());
        }
    }

    @Override
    public void settled(QueueEntry entry) {
        long id = entry.message().storeId();
        if (id != 0) {
            store.submitFromLoop(new Write.Settle(queueId, id), ThreadExecutorMap.currentExecutor());
        }
    }

    @Override
    public void settled(List<QueueEntry> entries) {
        long[] ids = new long[entries.size()];
        int n = 0;
        for (QueueEntry e : entries) {
            long id = e.message().storeId();
            if (id != 0) {
                ids[n++] = id;
            }
        }
        if (n > 0) {
            store.submitFromLoop(new Write.Settle(queueId, n == ids.length ? ids : java.util.Arrays.copyOf(ids, n)),
                    ThreadExecutorMap.currentExecutor());
        }
    }

    @Override
    public void deleted() {
        store.submit(new Write.DeleteQueue(queueId), null, null);
    }
}
