package io.warren.cluster.quorum;

import io.warren.cluster.quorum.QueueCommand.Checkout;
import io.warren.cluster.quorum.QueueCommand.Configure;
import io.warren.cluster.quorum.QueueCommand.Dequeue;
import io.warren.cluster.quorum.QueueCommand.Discard;
import io.warren.cluster.quorum.QueueCommand.Enqueue;
import io.warren.cluster.quorum.QueueCommand.Flush;
import io.warren.cluster.quorum.QueueCommand.NodeDown;
import io.warren.cluster.quorum.QueueCommand.Purge;
import io.warren.cluster.quorum.QueueCommand.Return;
import io.warren.cluster.quorum.QueueCommand.Settle;
import io.warren.cluster.quorum.QueueEffect.DeadLetter;
import io.warren.cluster.quorum.QueueEffect.Deliver;
import io.warren.cluster.quorum.QueueEffect.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replicated queue logic alone, command by command, as every member applies it. */
class QueueStateTest {
    private final QueueState state = new QueueState();
    private long index;

    private QueueState.Outcome apply(QueueCommand c) {
        // every command goes through its wire form, as it does through the Raft log
        return state.apply(++index, QueueCommand.decode(QueueCommand.encode(c)));
    }

    private long enqueue(int size) {
        assertArrayEquals(new long[]{1}, apply(new Enqueue(size, new byte[]{(byte) size})).reply());
        return index;
    }

    private long publish(String publisher, long seq) {
        assertArrayEquals(new long[]{1}, apply(new Enqueue(10, new byte[]{1}, publisher, seq)).reply(),
                "a publish is accepted (confirmed) when committed, whether or not it waits for an earlier one");
        return index;
    }

    @Test
    void aPublishersMessagesCommittedOutOfOrderAreQueuedInTheOrderItSentThem() {
        long third = publish("n1/p", 3);
        long second = publish("n1/p", 2);
        long other = publish("n2/q", 1); // another publisher does not wait for n1/p
        assertEquals(List.of(other), state.readyIds());
        assertEquals(0, state.unackedCount(), "held messages are not unacknowledged ones");
        long first = publish("n1/p", 1);
        assertEquals(List.of(other, first, second, third), state.readyIds());
        publish("n1/p", 2); // applied twice (a retried command): not queued again
        assertEquals(4, state.readyCount());
    }

    @Test
    void heldMessagesGoToTheQueueWhenThePublisherGivesUpOnTheGapOrItsNodeIsLost() {
        long afterGap = publish("n1/p", 2);
        apply(new Flush("n1/p")); // publish 1 failed: its publisher was nacked, the next one waits no more
        assertEquals(List.of(afterGap), state.readyIds());
        long n2held = publish("n2/p", 5);
        QueueState copy = new QueueState();
        copy.restore(state.snapshot()); // what waits survives a snapshot
        assertEquals(List.of(afterGap), copy.readyIds());
        copy.apply(++index, new NodeDown("n2"));
        assertEquals(List.of(afterGap, n2held), copy.readyIds());
        assertTrue(copy.lowestLive() <= afterGap, "held messages kept their log entries");
    }

    @Test
    void deliversRoundRobinWithinPrefetchAndSettles() {
        apply(new Checkout("n1/a", 1));
        apply(new Checkout("n2/b", 1));
        long m1 = enqueue(10);
        long m2 = enqueue(10);
        long m3 = enqueue(10);
        assertEquals(1, state.readyCount(), "each consumer holds one (prefetch 1), one waits");
        assertTrue(state.holds("n1/a", m1) && state.holds("n2/b", m2));
        List<QueueEffect> afterAck = apply(new Settle("n1/a", new long[]{m1})).effects();
        assertEquals(List.of(new Deliver("n1/a", m3, 0)), afterAck, "credit freed by the ack goes to the next message");
        assertEquals(0, state.readyCount());
        assertEquals(2, state.unackedCount());
    }

    @Test
    void aDetachedConsumerKeepsWhatItsClientHoldsAndReturnsTheRestUncounted() {
        apply(new Checkout("n1/a", 3));
        long handed = enqueue(10);
        long assigned = enqueue(10);   // assigned, never handed to the client (its node's replica left)
        long settledFirst = enqueue(10);
        apply(new Settle("n1/a", new long[]{settledFirst}));
        assertEquals(List.of(), apply(new QueueCommand.Detach("n1/a", new long[]{handed, settledFirst})).effects(),
                "no consumer left to deliver to");
        assertEquals(List.of(assigned), state.readyIds(), "the message not handed over is ready again");
        assertTrue(state.holds("n1/a", handed), "the handed one stays held until its client settles it");
        apply(new QueueCommand.Detach("n1/a", new long[]{handed})); // resent: nothing more to release
        assertEquals(List.of(assigned), state.readyIds());
        assertEquals(List.of(new Deliver("n2/b", assigned, 0)), apply(new Checkout("n2/b", 5)).effects(),
                "delivered to another consumer, its delivery not counted");
        apply(new Settle("n1/a", new long[]{handed}));
        assertEquals(0, state.readyCount());
        assertEquals(1, state.unackedCount(), "only n2/b's message is out; the kept one was settled once");
        assertFalse(state.holds("n1/a", handed));
        long next = enqueue(10);
        assertTrue(state.holds("n2/b", next), "the detached consumer gets nothing more");
    }

    @Test
    void returnCountsDeliveriesAndDeadLettersPastTheLimit() {
        apply(new Configure(new QueueLimits(-1, -1, QueueLimits.Overflow.DROP_HEAD, 1)));
        apply(new Checkout("n1/a", 0));
        long m = enqueue(5);
        assertEquals(List.of(new Deliver("n1/a", m, 1)), apply(new Return("n1/a", new long[]{m})).effects(),
                "redelivered with x-delivery-count 1");
        assertEquals(List.of(new DeadLetter(m, Reason.DELIVERY_LIMIT, 2)), apply(new Return("n1/a", new long[]{m})).effects());
        assertEquals(0, state.readyCount() + state.unackedCount());
        long released = enqueue(5);
        assertEquals(List.of(new Deliver("n1/a", released, 0)),
                apply(new QueueCommand.Release("n1/a", new long[]{released})).effects(), "a release does not count");
        apply(new Settle("n1/a", new long[]{released}));
        long r = enqueue(5);
        assertEquals(List.of(new DeadLetter(r, Reason.REJECTED, 0)), apply(new Discard("n1/a", new long[]{r})).effects());
    }

    @Test
    void aQueueIsConfiguredOnceItsLimitsAreAppliedAndStaysSoThroughASnapshot() {
        apply(new Checkout("n1/a", 0)); // a command from another node may come before the first member's Configure
        assertFalse(state.configured(), "only the defaults apply before the Configure");
        apply(new Configure(QueueLimits.NONE));
        assertTrue(state.configured(), "no limits is a configuration too");
        QueueState copy = new QueueState();
        assertFalse(copy.configured());
        copy.restore(state.snapshot());
        assertTrue(copy.configured(), "a member catching up from a snapshot");
    }

    @Test
    void dropHeadAndRejectPublishCountReadyMessagesAndBytes() {
        apply(new Configure(new QueueLimits(2, -1, QueueLimits.Overflow.DROP_HEAD, -1)));
        long a = enqueue(1);
        enqueue(1);
        QueueState.Outcome third = apply(new Enqueue(1, new byte[1]));
        assertEquals(List.of(new DeadLetter(a, Reason.MAXLEN, 0)), third.effects());
        assertEquals(2, state.readyCount());

        // reject-publish as RabbitMQ 3.10's quorum queues: the publish that goes over is taken, then the
        // queue refuses until it is back at 80% of the limit
        apply(new Configure(new QueueLimits(-1, 10, QueueLimits.Overflow.REJECT_PUBLISH, -1)));
        assertEquals(2, state.readyCount());
        assertArrayEquals(new long[]{1}, apply(new Enqueue(8, new byte[8])).reply(), "2 + 8 bytes: at the limit");
        assertArrayEquals(new long[]{1}, apply(new Enqueue(1, new byte[1])).reply(), "11 bytes: taken, now over");
        assertArrayEquals(new long[]{0}, apply(new Enqueue(1, new byte[1])).reply(), "refused while over");
        assertEquals(4, state.readyCount());
        apply(new Dequeue("n1/get", true)); // 10 bytes left: still above 8
        assertArrayEquals(new long[]{0}, apply(new Enqueue(1, new byte[1])).reply());
        apply(new Dequeue("n1/get", true)); // 9 bytes: still above
        assertArrayEquals(new long[]{0}, apply(new Enqueue(1, new byte[1])).reply());
        apply(new Dequeue("n1/get", true)); // 1 byte: below the soft limit
        assertArrayEquals(new long[]{1}, apply(new Enqueue(1, new byte[1])).reply());
        assertEquals(2, state.readyCount());
        assertArrayEquals(new long[]{2}, apply(new Purge()).reply());
        assertEquals(0, state.readyBytes());
    }

    @Test
    void basicGetAndANodeLeavingReturnWhatIsHeld() {
        long m1 = enqueue(3);
        long m2 = enqueue(3);
        assertArrayEquals(new long[]{m1, 0, 1}, apply(new Dequeue("n1/get-1", false)).reply());
        assertArrayEquals(new long[]{m2, 0, 0}, apply(new Dequeue("n2/get-1", true)).reply(), "no-ack get settles at once");
        assertArrayEquals(new long[]{-1}, apply(new Dequeue("n2/get-1", true)).reply());
        apply(new NodeDown("n1"));
        assertEquals(List.of(m1), state.readyIds());
        assertArrayEquals(new long[]{m1, 1, 0}, apply(new Dequeue("n2/get-1", true)).reply(), "the return counted");
    }

    @Test
    void droppingALiveNodesConsumersSaysSoSoThatItChecksThemOutAgain() {
        apply(new Checkout("n1/x/1/a", 1));
        long m1 = enqueue(3);
        assertEquals(List.of(new QueueEffect.ConsumersDropped("n1")), apply(new NodeDown("n1")).effects());
        assertEquals(List.of(m1), state.readyIds());
        assertEquals(List.of(), apply(new NodeDown("n1")).effects(), "no consumer left to drop");
    }

    @Test
    void snapshotRestoresEverythingButBodies() {
        apply(new Configure(new QueueLimits(100, -1, QueueLimits.Overflow.REJECT_PUBLISH, 3)));
        apply(new Checkout("n1/a", 2));
        for (int i = 0; i < 5; i++) {
            enqueue(7);
        }
        apply(new Return("n1/a", new long[]{3}));
        QueueState copy = new QueueState();
        copy.restore(state.snapshot());
        assertEquals(state.readyIds(), copy.readyIds());
        assertEquals(state.heldCounts(), copy.heldCounts());
        assertEquals(state.readyBytes(), copy.readyBytes());
        assertEquals(state.limits(), copy.limits());
        assertEquals(state.lowestLive(), copy.lowestLive());
        // both go on identically
        assertEquals(state.apply(100, new Settle("n1/a", new long[]{4})).effects(),
                copy.apply(100, new Settle("n1/a", new long[]{4})).effects());
    }
}
