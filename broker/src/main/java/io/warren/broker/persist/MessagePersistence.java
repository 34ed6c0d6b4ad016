package io.warren.broker.persist;

import io.warren.broker.model.BodyReader;
import io.warren.broker.model.Message;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.Queue;
import io.warren.storage.MessageStore;
import io.warren.storage.Write;
import io.warren.storage.WriteCallback;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * The publish side of durability: a persistent message (delivery_mode 2) routed to durable queues
 * is written once, for all of them, before it is enqueued; its publisher confirm waits for the
 * write's sync (group commit on the store's writer thread). Transient messages and non-durable
 * queues never touch the disk.
 */
public final class MessagePersistence implements io.warren.broker.model.MessageStoreHook {
    private final MessageStore store;
    private final BodyReader bodies;
    private final long bodyMemoryLimit;

    /**
     * @param bodyMemoryLimit while the heap in use is above this many bytes, the bodies of synced
     *                        persistent messages held only by durable queues leave the heap (they are
     *                        read back when delivered); 0 = they never stay; negative = they always stay
     */
    MessagePersistence(MessageStore store, BodyReader bodies, long bodyMemoryLimit) {
        this.store = store;
        this.bodies = bodies;
        this.bodyMemoryLimit = bodyMemoryLimit;
    }

    private boolean heapTight() {
        if (bodyMemoryLimit <= 0) {
            return true;
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory() > bodyMemoryLimit;
    }

    /** For dead letters: stored without waiting for the sync (nobody is owed a confirm). */
    @Override
    public boolean store(Message msg, List<AmqpQueue> targets) {
        return store(msg, targets, null, null);
    }

    /**
     * Stores the message for the durable queues among {@code targets}; returns false (and does
     * nothing) if it is transient or no target is durable. {@code callback} runs on {@code executor}
     * once the record is on disk (or failed).
     */
    public boolean store(Message msg, List<AmqpQueue> targets, Executor executor, WriteCallback callback) {
        boolean anyDurable = false;
        for (int i = 0; i < targets.size() && !anyDurable; i++) {
            anyDurable = targets.get(i).durable(); // a final field: no lock for the common transient case
        }
        if (!anyDurable || !msg.persistent()) {
            return false;
        }
        long[] ids = new long[targets.size()];
        Queue[] stored = new Queue[targets.size()];
        int n = 0;
        for (int i = 0; i < targets.size(); i++) {
            // only classic queues keep their messages in this store (other types write their own logs)
            if (targets.get(i) instanceof Queue classic && classic.journal() instanceof StoredQueueJournal sj) {
                stored[n] = classic;
                ids[n++] = sj.queueId();
            }
        }
        if (n == 0) {
            return false;
        }
        long id = store.newMessageId();
        msg.storeId(id);
        int count = n;
        boolean onlyDurable = n == targets.size(); // a transient queue's copy needs the body in memory
        WriteCallback done = (location, failure) -> {
            if (failure == null) {
                msg.stored(location, bodies);
                if (onlyDurable && bodyMemoryLimit >= 0 && heapTight()) {
                    msg.evictBody();
                }
                for (int i = 0; i < count; i++) {
                    stored[i].pageOut(); // deep queues let it (and what was stored before it) leave the heap
                }
            }
            if (callback != null) {
                callback.done(location, failure);
            }
        };
        store.submit(new Write.Publish(id, MessageMeta.encode(msg), msg.body(),
                n == ids.length ? ids : java.util.Arrays.copyOf(ids, n)), executor == null ? Runnable::run : executor, done);
        return true;
    }
}
