package io.warren.broker.persist;

import io.warren.broker.BrokerState;
import io.warren.broker.model.Message;
import io.warren.broker.model.Queue;
import io.warren.broker.model.VirtualHost;
import io.warren.storage.MessageStore;
import io.warren.storage.Recovered;
import io.warren.storage.RecoveredMessage;
import io.warren.storage.StoredMessage;
import io.warren.storage.Write;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * At start, after the durable queues are back: puts each queue's unsettled persistent messages
 * back in publish order, those delivered before the stop marked redelivered (as RabbitMQ does).
 * Records of queues that no longer exist are dropped from the store. Bodies are read back in
 * windows of concurrent reads and kept in the heap: reading a recovered message's body lazily,
 * after the store has opened its new journal file, sometimes fails in the storage module
 * ("no record at location", BodyReader.moveTo) — until that is fixed, recovery stays eager.
 */
final class MessageRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRecovery.class);
    private static final int WINDOW = 4096;

    private MessageRecovery() {
    }

    static void recover(BrokerState state, MessageStore store) throws IOException {
        Recovered recovered = store.recover();
        Map<Long, Queue> byId = new HashMap<>();
        for (VirtualHost v : state.vhosts()) {
            for (Queue q : v.queues()) {
                if (q.journal() instanceof StoredQueueJournal j) {
                    byId.put(j.queueId(), q);
                }
            }
        }
        long restored = 0;
        for (Map.Entry<Long, List<RecoveredMessage>> e : recovered.queues().entrySet()) {
            Queue q = byId.get(e.getKey());
            if (q == null) {
                store.submit(new Write.DeleteQueue(e.getKey()), null, null);
                continue;
            }
            restored += restore(store, q, e.getValue());
        }
        LOG.info("recovered {} persistent messages in {} ms ({} damaged records skipped)", restored,
                recovered.millis(), recovered.droppedRecords());
    }

    /**
     * Once every queue is back and new messages are stored again: expire what ran out while the
     * broker was down (its dead letters are stored like any others) and arm the TTL timers.
     */
    static void expireOverdue(BrokerState state) {
        for (VirtualHost v : state.vhosts()) {
            for (Queue q : v.queues()) {
                q.restored();
            }
        }
    }

    private static long restore(MessageStore store, Queue q, List<RecoveredMessage> list) throws IOException {
        StoredMessage[] window = new StoredMessage[WINDOW];
        for (int from = 0; from < list.size(); from += WINDOW) {
            int n = Math.min(WINDOW, list.size() - from);
            CountDownLatch done = new CountDownLatch(n);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int i = 0; i < n; i++) {
                int slot = i;
                store.read(list.get(from + i).location(), Runnable::run, (m, f) -> {
                    if (f != null) {
                        failure.compareAndSet(null, f);
                    } else {
                        window[slot] = m;
                    }
                    done.countDown();
                });
            }
            await(done);
            if (failure.get() != null) {
                throw new IOException("cannot read back a stored message of " + q, failure.get());
            }
            for (int i = 0; i < n; i++) {
                RecoveredMessage rm = list.get(from + i);
                Message msg = MessageMeta.decode(window[i].meta(), window[i].body());
                msg.storeId(rm.messageId());
                q.restore(msg, rm.redelivered());
                window[i] = null;
            }
        }
        return list.size();
    }

    private static void await(CountDownLatch done) throws IOException {
        try {
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IOException("message store did not answer reads during recovery");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during recovery", e);
        }
    }
}
