package io.warren.cluster.quorum;

import io.warren.cluster.quorum.QueueCommand.Checkout;
import io.warren.cluster.quorum.QueueCommand.Configure;
import io.warren.cluster.quorum.QueueCommand.Enqueue;
import io.warren.cluster.quorum.QueueCommand.EnqueueBatch;
import io.warren.cluster.quorum.QueueCommand.Settle;
import io.warren.cluster.quorum.QueueEffect.Deliver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several publishes in one log entry: their ids, replies, order, bodies and the log they keep. */
class EnqueueBatchTest {
    private final QueueState state = new QueueState();

    private static Enqueue publish(String publisher, long seq, String body) {
        return new Enqueue(body.length(), body.getBytes(), publisher, seq, -1);
    }

    private QueueState.Outcome apply(long index, QueueCommand c) {
        return state.apply(index, QueueCommand.decode(QueueCommand.encode(c)));
    }

    @Test
    void messagesOfABatchGetIdsThatNameTheirEntryAndSlotAndKeepTheLogsOrder() {
        apply(1, new Enqueue(1, new byte[]{1})); // a single enqueue from an older log: its id is its index
        assertArrayEquals(new long[]{1, 1, 1},
                apply(2, new EnqueueBatch(List.of(publish("n1/p", 1, "a"), publish("n1/p", 2, "b"), publish("n1/p", 3, "c")))).reply());
        List<Long> ids = state.readyIds();
        assertEquals(4, ids.size());
        assertEquals(1L, ids.get(0));
        for (int slot = 0; slot < 3; slot++) {
            long id = ids.get(slot + 1);
            assertEquals(2, MessageIds.logIndex(id));
            assertEquals(slot, MessageIds.slot(id));
            assertTrue(id > ids.get(slot), "ids grow with the log");
        }
        assertEquals(-1, MessageIds.slot(1));
        assertEquals(1, MessageIds.logIndex(1));
    }

    @Test
    void theReplyHasOneAnswerPerMessageAndRefusesThosePastTheLimit() {
        apply(1, new Configure(new QueueLimits(2, -1, QueueLimits.Overflow.REJECT_PUBLISH, -1)));
        long[] reply = apply(2, new EnqueueBatch(List.of(publish("n1/p", 1, "a"), publish("n1/p", 2, "b"),
                publish("n1/p", 3, "c"), publish("n1/p", 4, "d")))).reply();
        assertArrayEquals(new long[]{1, 1, 1, 0}, reply, "the third takes the queue over its limit, the fourth is refused");
    }

    @Test
    void aBatchAppliedTwiceQueuesItsMessagesOnce() {
        EnqueueBatch batch = new EnqueueBatch(List.of(publish("n1/p", 1, "a"), publish("n1/p", 2, "b")));
        apply(1, batch);
        apply(2, batch); // resent after a leader change
        assertEquals(2, state.readyCount());
    }

    @Test
    void theLogIsReleasedOnlyBelowTheEntryOfTheOldestLiveMessage() {
        apply(1, new Checkout("n1/c", 0));
        List<QueueEffect> effects = apply(5000, new EnqueueBatch(List.of(publish("n1/p", 1, "a"), publish("n1/p", 2, "b")))).effects();
        long[] ids = effects.stream().filter(e -> e instanceof Deliver).mapToLong(e -> ((Deliver) e).id()).toArray();
        assertEquals(2, ids.length);
        assertTrue(state.lowestLive() <= 5000, "entry 5000 holds live messages: " + state.lowestLive());
        apply(5001, new Settle("n1/c", new long[]{ids[0]}));
        assertTrue(state.lowestLive() <= 5000, "one message of entry 5000 is still live");
        apply(5002, new Settle("n1/c", ids));
        assertEquals(Long.MAX_VALUE, state.lowestLive());
    }

    @Test
    void acksInABatchAreAppliedBeforeItsPublishes() {
        apply(1, new Checkout("n1/c", 1));
        List<QueueEffect> first = apply(2, new EnqueueBatch(List.of(publish("n1/p", 1, "a"), publish("n1/p", 2, "b")))).effects();
        long held = ((Deliver) first.get(0)).id();
        assertEquals(1, state.unackedCount());
        List<QueueEffect> second = apply(3, new EnqueueBatch(List.of(new Settle("n1/c", new long[]{held})),
                List.of(publish("n1/p", 3, "c")))).effects();
        assertEquals(1, state.unackedCount(), "the ack freed the prefetch slot for the next message");
        assertEquals(MessageIds.batched(2, 1), ((Deliver) second.get(0)).id());
        assertEquals(1, state.readyCount());
    }

    @Test
    void contentsAreSkippedWhenDecodedForApplyingAndKeptWhenReadBack() {
        byte[] entry = StampedCommand.stamp(1234, QueueCommand.encode(
                new EnqueueBatch(List.of(publish("n1/p", 1, "first"), publish("n1/p", 2, "second")))));
        EnqueueBatch toApply = (EnqueueBatch) StampedCommand.commandToApply(entry);
        assertEquals(0, toApply.enqueues().get(1).content().length);
        assertEquals(6, toApply.enqueues().get(1).size());
        EnqueueBatch read = (EnqueueBatch) StampedCommand.command(entry);
        assertEquals("second", new String(read.enqueues().get(1).content()));
        assertEquals(1234, StampedCommand.time(entry));
    }

    @Test
    void aBatchOfNoneOrOfMoreThanTheLimitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EnqueueBatch(List.of()));
        Enqueue one = publish("n1/p", 1, "a");
        assertThrows(IllegalArgumentException.class,
                () -> new EnqueueBatch(java.util.Collections.nCopies(MessageIds.MAX_BATCH + 1, one)));
    }
}
