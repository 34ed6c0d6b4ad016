package io.warren.broker.model;

import io.warren.cluster.quorum.MessageIds;
import io.warren.cluster.quorum.QueueCommand;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishBatchesTest {
    private static QueueCommand.Enqueue publish(long seq, int bytes) {
        return new QueueCommand.Enqueue(bytes, new byte[bytes], "n1/p", seq, -1);
    }

    @Test
    void publishesThatComeWhileABatchIsInFlightGoAsOneBatchInTheirOrder() {
        PublishBatches b = new PublishBatches();
        b.add(publish(1, 10), new CompletableFuture<>());
        assertTrue(b.ready(), "nothing in flight: send at once");
        PublishBatches.Batch first = b.take();
        assertInstanceOf(QueueCommand.Enqueue.class, first.command(java.util.List.of()), "a batch of one is a plain enqueue");
        for (int seq = 2; seq <= 6; seq++) {
            b.add(publish(seq, 10), new CompletableFuture<>());
        }
        assertFalse(b.ready(), "one in flight (MAX_IN_FLIGHT): wait");
        b.done();
        assertTrue(b.ready());
        PublishBatches.Batch second = b.take();
        QueueCommand.EnqueueBatch batch = assertInstanceOf(QueueCommand.EnqueueBatch.class, second.command(java.util.List.of()));
        assertEquals(5, batch.enqueues().size());
        for (int i = 0; i < 5; i++) {
            assertEquals(2 + i, batch.enqueues().get(i).seq());
        }
        assertEquals(5, second.replies().size());
        b.add(publish(7, 10), new CompletableFuture<>());
        assertFalse(b.ready(), "the second batch is in flight now");
        b.done();
        assertTrue(b.ready());
        assertEquals(1, b.take().enqueues().size());
        assertNull(b.take(), "nothing left");
    }

    @Test
    void aBatchStopsAtItsByteAndCountLimits() {
        PublishBatches b = new PublishBatches();
        int big = PublishBatches.MAX_BATCH_BYTES / 2 + 1;
        b.add(publish(1, big), new CompletableFuture<>());
        b.add(publish(2, big), new CompletableFuture<>());
        assertEquals(1, b.take().enqueues().size(), "two would exceed the byte limit");
        assertEquals(1, b.take().enqueues().size());

        PublishBatches many = new PublishBatches();
        for (int seq = 1; seq <= MessageIds.MAX_BATCH + 5; seq++) {
            many.add(publish(seq, 1), new CompletableFuture<>());
        }
        assertEquals(MessageIds.MAX_BATCH, many.take().enqueues().size());
        assertEquals(5, many.take().enqueues().size());
    }
}
