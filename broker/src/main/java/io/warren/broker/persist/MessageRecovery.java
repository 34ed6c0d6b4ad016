package io.warren.broker.persist;

import io.warren.broker.BrokerState;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.Queue;
import io.warren.broker.model.VirtualHost;
import io.warren.storage.MessageStore;
import io.warren.storage.Recovered;
import io.warren.storage.RecoveredMessage;
import io.warren.storage.Write;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.warren.broker.model.BodyReader;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * At start, after the durable queues are back: puts each queue's unsettled persistent messages
 * back in publish order, those delivered before the stop marked redelivered (as RabbitMQ does).
 * Records of queues that no longer exist are dropped from the store. Bodies stay on disk until a
 * consumer needs them (see {@link #restore}).
 */
final class MessageRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRecovery.class);

    private MessageRecovery() {
    }

    static void recover(BrokerState state, MessageStore store, BodyReader reader) throws IOException {
        Recovered recovered = store.recover();
        Map<Long, Queue> byId = new HashMap<>();
        for (VirtualHost v : state.vhosts()) {
            for (AmqpQueue q : v.queues()) {
                // the message store holds classic queues' messages only (other types keep their own logs)
                if (q instanceof Queue classic && classic.journal() instanceof StoredQueueJournal j) {
                    byId.put(j.queueId(), classic);
                }
            }
        }
        long restored = 0;
        long start = System.nanoTime();
        for (Map.Entry<Long, List<RecoveredMessage>> e : recovered.queues().entrySet()) {
            Queue q = byId.get(e.getKey());
            if (q == null) {
                store.submit(new Write.DeleteQueue(e.getKey()), null, null);
                continue;
            }
            restored += restore(q, e.getValue(), reader);
        }
        LOG.info("recovered {} persistent messages: journal replay {} ms, queues rebuilt in {} ms ({} damaged records skipped)",
                restored, recovered.millis(), (System.nanoTime() - start) / 1_000_000, recovered.droppedRecords());
    }

    /**
     * Once every queue is back and new messages are stored again: expire what ran out while the
     * broker was down (its dead letters are stored like any others) and arm the TTL timers.
     */
    static void expireOverdue(BrokerState state) {
        for (VirtualHost v : state.vhosts()) {
            for (AmqpQueue q : v.queues()) {
                if (q instanceof Queue classic) {
                    classic.restored();
                }
            }
        }
    }

    /**
     * Puts the queue's messages back without their bodies: the queue pages them (a few primitives
     * each) and deliveries read the bodies back, so a restart with a deep backlog neither reads every
     * body nor needs the heap for them.
     */
    private static long restore(Queue q, List<RecoveredMessage> list, BodyReader reader) {
        MessageMeta.Reader meta = new MessageMeta.Reader();
        for (RecoveredMessage rm : list) {
            meta.next(rm.meta());
            q.restoreOnDisk(meta.exchange, meta.routingKey, meta.rawProperties, (int) rm.bodySize(), rm.messageId(),
                    rm.location(), meta.publishedAt, rm.redelivered(), reader);
        }
        return list.size();
    }
}
