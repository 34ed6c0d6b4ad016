package io.warren.cluster.quorum;

import io.warren.cluster.quorum.QueueCommand.Cancel;
import io.warren.cluster.quorum.QueueCommand.Checkout;
import io.warren.cluster.quorum.QueueCommand.Configure;
import io.warren.cluster.quorum.QueueCommand.Dequeue;
import io.warren.cluster.quorum.QueueCommand.Enqueue;
import io.warren.cluster.quorum.QueueCommand.NodeDown;
import io.warren.cluster.quorum.QueueCommand.Remove;
import io.warren.cluster.quorum.QueueCommand.Return;
import io.warren.cluster.quorum.QueueCommand.Settle;
import io.warren.cluster.quorum.QueueCommand.Tick;
import io.warren.cluster.quorum.QueueEffect.DeadLetter;
import io.warren.cluster.quorum.QueueEffect.Deliver;
import io.warren.cluster.quorum.QueueEffect.QueueExpired;
import io.warren.cluster.quorum.QueueEffect.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replicated queue logic that depends on time and on who consumes: message TTL and x-expires
 * decided from the leader's stamps (never the applying member's clock), consumer priorities and
 * single active consumer. Every command goes through its stamped log form, as through Raft.
 */
class QueueStateTimeAndConsumersTest {
    private final QueueState state = new QueueState();
    private long index;

    private QueueState.Outcome at(long time, QueueCommand c) {
        byte[] entry = StampedCommand.stamp(time, QueueCommand.encode(c));
        return state.apply(++index, StampedCommand.time(entry), StampedCommand.command(entry));
    }

    private static QueueLimits limits(long ttl, long expires, boolean singleActive) {
        return new QueueLimits(-1, -1, QueueLimits.Overflow.DROP_HEAD, -1, ttl, expires, singleActive);
    }

    private long enqueue(long time, long ownTtl) {
        assertArrayEquals(new long[]{1}, at(time, new Enqueue(4, new byte[4], "", 0, ownTtl)).reply());
        return index;
    }

    @Test
    void theLowerOfQueueAndMessageTtlExpiresTheHeadAtTheLeadersTime() {
        at(1000, new Configure(limits(500, -1, false)));
        long a = enqueue(1000, -1);   // expires after 1500
        long b = enqueue(1100, 100);  // its own TTL is lower: after 1200
        assertEquals(1500, state.nextExpiry(), "the head decides when the leader next ticks");
        assertEquals(List.of(), at(1500, new Tick()).effects(), "alive up to its expiry");
        assertEquals(List.of(new DeadLetter(a, Reason.EXPIRED, 0), new DeadLetter(b, Reason.EXPIRED, 0)),
                at(1501, new Tick()).effects());
        assertEquals(0, state.readyCount());
        assertEquals(QueueState.NEVER, state.nextExpiry());
    }

    @Test
    void ttlIsCheckedAtTheHeadOnlyAsRabbitMqDoesButNothingExpiredIsHandedOut() {
        at(0, new Configure(limits(10_000, -1, false)));
        long longLived = enqueue(0, -1);
        long shortLived = enqueue(0, 10);
        assertEquals(List.of(), at(50, new Tick()).effects(), "the short one waits behind a live head");
        assertEquals(2, state.readyCount());
        assertArrayEquals(new long[]{longLived, 0, 1}, at(60, new Dequeue("n1/get", true)).reply());
        assertArrayEquals(new long[]{-1}, at(61, new Dequeue("n1/get", true)).reply(),
                "basic.get finds the expired message at the head and drops it");
        assertTrue(state.readyIds().isEmpty());
        assertEquals(0, state.unackedCount() + state.readyCount());
        assertTrue(shortLived > longLived);
    }

    @Test
    void aTtlZeroMessageReachesAWaitingConsumerOnly() {
        at(0, new Configure(limits(0, -1, false)));
        at(0, new Checkout("n1/a", 1));
        long first = enqueue(10, -1);
        assertTrue(state.holds("n1/a", first), "a consumer with credit took it at once");
        long second = enqueue(10, -1);
        assertEquals(List.of(new DeadLetter(second, Reason.EXPIRED, 0)), at(11, new Tick()).effects());
    }

    @Test
    void aHeldMessageExpiresWhenItComesBackNotWhileHeld() {
        at(0, new Configure(limits(100, -1, false)));
        at(0, new Checkout("n1/a", 1));
        long m = enqueue(0, -1);
        assertEquals(List.of(), at(500, new Tick()).effects(), "held by a consumer: not expired");
        assertEquals(List.of(new DeadLetter(m, Reason.EXPIRED, 1)), at(501, new Return("n1/a", new long[]{m})).effects(),
                "returned after its TTL: dead-lettered, never redelivered");
    }

    @Test
    void theClockNeverGoesBackWhenANewLeadersClockIsBehind() {
        at(0, new Configure(limits(100, -1, false)));
        long m = enqueue(1000, -1);
        at(1200, new Tick()); // expired at 1101
        assertEquals(0, state.readyCount());
        long n = enqueue(900, -1); // a leader whose clock is behind: its stamp does not move time back
        assertEquals(1300, state.nextExpiry());
        assertTrue(n > m);
    }

    @Test
    void anUnusedQueueExpiresAfterItsLastUseOnly() {
        at(1000, new Configure(limits(-1, 5000, false)));
        assertEquals(6000, state.expiresAt());
        at(2000, new Checkout("n1/a", 0));
        assertEquals(QueueState.NEVER, state.expiresAt(), "a consumer keeps it in use");
        assertEquals(List.of(), at(9000, new Tick()).effects());
        at(9000, new Cancel("n1/a"));
        assertEquals(14_000, state.expiresAt(), "counted from when the last consumer left");
        at(13_000, new Dequeue("n1/get", true));
        assertEquals(18_000, state.expiresAt(), "a basic.get counts as use");
        assertEquals(List.of(), at(17_999, new Tick()).effects());
        assertEquals(List.of(new QueueExpired()), at(18_000, new Tick()).effects());
    }

    @Test
    void higherPriorityConsumersGoFirstWhileTheyHaveCredit() {
        at(0, new Checkout("n1/low", 0, 1));
        at(0, new Checkout("n2/high", 1, 5));
        long a = enqueue(0, -1);
        long b = enqueue(0, -1);
        long c = enqueue(0, -1);
        assertTrue(state.holds("n2/high", a), "the high-priority consumer first");
        assertTrue(state.holds("n1/low", b) && state.holds("n1/low", c), "then, out of credit, the lower one");
        long d = enqueue(0, -1);
        assertTrue(state.holds("n1/low", d));
        assertEquals(List.of(), at(0, new Settle("n2/high", new long[]{a})).effects(), "nothing ready: the credit waits");
        long e = enqueue(0, -1);
        assertTrue(state.holds("n2/high", e), "credit back: the high-priority consumer first again");
    }

    @Test
    void equalPrioritiesTakeTurns() {
        at(0, new Checkout("n1/a", 0, 3));
        at(0, new Checkout("n1/b", 0, 3));
        at(0, new Checkout("n1/low", 0, 0));
        long a = enqueue(0, -1);
        long b = enqueue(0, -1);
        long c = enqueue(0, -1);
        assertTrue(state.holds("n1/a", a) && state.holds("n1/b", b) && state.holds("n1/a", c));
        assertEquals(0, state.heldCounts().get("n1/low"));
    }

    @Test
    void singleActiveConsumerHandsOverInSubscriptionOrder() {
        at(0, new Configure(limits(-1, -1, true)));
        at(0, new Checkout("n1/first", 1));
        at(0, new Checkout("n2/second", 10, 9)); // its priority does not make it active
        at(0, new Checkout("n3/third", 10));
        assertEquals("n1/first", state.singleActiveConsumer());
        long a = enqueue(0, -1);
        long b = enqueue(0, -1);
        assertTrue(state.holds("n1/first", a));
        assertEquals(1, state.readyCount(), "the waiting consumers get nothing, though they have credit");
        assertEquals(3, state.consumerCount());
        List<QueueEffect> afterCancel = at(0, new Cancel("n1/first")).effects();
        assertEquals("n2/second", state.singleActiveConsumer());
        assertEquals(List.of(new Deliver("n2/second", b, 0)), afterCancel);
        assertTrue(state.holds("n1/first", a), "what the cancelled consumer holds stays until it settles");
        at(0, new Settle("n1/first", new long[]{a}));
        at(0, new NodeDown("n2"));
        assertEquals("n3/third", state.singleActiveConsumer(), "the node of the active one died: the next takes over");
        assertTrue(state.holds("n3/third", b), "with what the dead one held, counted");
        at(0, new Remove("n3/third"));
        assertNull(state.singleActiveConsumer());
    }

    @Test
    void entriesWrittenBeforeStampsStillDecodeAndCarryNoTime() throws Exception {
        java.io.ByteArrayOutputStream legacy = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(legacy)) {
            out.writeByte(1); // the first Enqueue format: size, content, no TTL
            out.writeInt(3);
            out.writeInt(3);
            out.write(new byte[]{7, 8, 9});
        }
        byte[] old = legacy.toByteArray();
        assertEquals(StampedCommand.NO_TIME, StampedCommand.time(old));
        assertArrayEquals(new byte[]{7, 8, 9}, QueueCommand.enqueuedContent(old));
        byte[] stamped = StampedCommand.stamp(42, QueueCommand.encode(new Enqueue(3, new byte[]{1, 2, 3}, "n1/p", 5, 10)));
        assertEquals(42, StampedCommand.time(stamped));
        assertArrayEquals(new byte[]{1, 2, 3}, QueueCommand.enqueuedContent(stamped));
        assertEquals(new Enqueue(3, null, "n1/p", 5, 10).ttl(), ((Enqueue) StampedCommand.command(stamped)).ttl());
        assertEquals(5, ((Enqueue) StampedCommand.command(stamped)).seq());
        // the format with publisher order but before TTL ends with the sequence number
        java.io.ByteArrayOutputStream ordered = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(ordered)) {
            out.writeByte(1);
            out.writeInt(1);
            out.writeInt(1);
            out.write(new byte[]{4});
            out.writeUTF("n2/p");
            out.writeLong(3);
        }
        Enqueue withoutTtl = (Enqueue) QueueCommand.decode(ordered.toByteArray());
        assertEquals(-1, withoutTtl.ttl());
        assertEquals("n2/p", withoutTtl.publisher());
        state.apply(++index, StampedCommand.command(old));
        assertEquals(QueueState.NEVER, state.nextExpiry(), "no time known: nothing can expire");
    }

    @Test
    void snapshotKeepsExpiriesPrioritiesSubscriptionOrderAndTheClock() {
        at(0, new Configure(limits(1000, 3000, true)));
        at(10, new Checkout("n1/a", 1, 2));
        at(10, new Checkout("n1/b", 1, 7));
        enqueue(20, -1);
        enqueue(30, 50);
        QueueState copy = new QueueState();
        copy.restore(state.snapshot());
        assertEquals(state.limits(), copy.limits());
        assertEquals(state.nextExpiry(), copy.nextExpiry());
        assertEquals(state.singleActiveConsumer(), copy.singleActiveConsumer());
        assertEquals(state.heldCounts(), copy.heldCounts());
        Tick tick = new Tick();
        assertEquals(state.apply(100, 2000, tick).effects(), copy.apply(100, 2000, tick).effects());
        Cancel cancel = new Cancel("n1/a");
        assertEquals(state.apply(101, 2000, cancel).effects(), copy.apply(101, 2000, cancel).effects());
        assertEquals(state.expiresAt(), copy.expiresAt());
    }
}
