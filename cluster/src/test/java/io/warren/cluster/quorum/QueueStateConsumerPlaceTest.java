package io.warren.cluster.quorum;

import io.warren.cluster.quorum.QueueCommand.Cancel;
import io.warren.cluster.quorum.QueueCommand.Checkout;
import io.warren.cluster.quorum.QueueCommand.Configure;
import io.warren.cluster.quorum.QueueCommand.Detach;
import io.warren.cluster.quorum.QueueCommand.Enqueue;
import io.warren.cluster.quorum.QueueCommand.NodeDown;
import io.warren.cluster.quorum.QueueCommand.Settle;
import io.warren.cluster.quorum.QueueCommand.Tick;
import io.warren.cluster.quorum.QueueEffect.Deliver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer keeps its place in the single-active-consumer order when its registration moves (its
 * node joined or left the group): the registration moving away is detached keeping the place, the
 * next one under the same place takes it, as RabbitMQ keeps a quorum queue's consumers across
 * membership changes. A place whose consumer never arrives is given up by the leader's clock.
 * Every command goes through its stamped log form, as through Raft.
 */
class QueueStateConsumerPlaceTest {
    private static final String A = "place-of-a";
    private final QueueState state = new QueueState();
    private long index;

    private QueueState.Outcome at(long time, QueueCommand c) {
        byte[] entry = StampedCommand.stamp(time, QueueCommand.encode(c));
        return state.apply(++index, StampedCommand.time(entry), StampedCommand.command(entry));
    }

    private long enqueue(long time) {
        at(time, new Enqueue(4, new byte[4]));
        return index;
    }

    /** A (active, subscribed through n1) and B (waiting, through n2) on a single-active-consumer queue. */
    @BeforeEach
    void activeAAndWaitingB() {
        at(0, new Configure(new QueueLimits(-1, -1, QueueLimits.Overflow.DROP_HEAD, -1, -1, -1, true)));
        at(0, new Checkout("n1/1/a", 10, 0, A));
        at(0, new Checkout("n2/1/b", 10, 0, "place-of-b"));
        assertEquals("n1/1/a", state.singleActiveConsumer());
    }

    @Test
    void aMovedConsumerStaysActiveAndNobodyReceivesWhileItMoves() {
        long held = enqueue(0);
        at(1000, new Detach("n1/1/a", new long[]{held}, true));
        long during = enqueue(1000);
        assertEquals(1, state.readyCount(), "the waiting consumer does not take over while A moves");
        assertEquals(List.of(new Deliver("n3/7/a", during, 0)), at(1100, new Checkout("n3/7/a", 10, 0, A)).effects(),
                "A's new registration is the active consumer and gets what waited");
        assertEquals("n3/7/a", state.singleActiveConsumer());
        assertTrue(state.holds("n1/1/a", held), "what A's client had stays held under its old registration");
        at(1200, new Settle("n1/1/a", new long[]{held}));
        long after = enqueue(1300);
        assertTrue(state.holds("n3/7/a", after));

        // and back (add_member after delete_member): still A
        at(1400, new Detach("n3/7/a", new long[]{after}, true));
        at(1500, new Checkout("n1/2/a", 10, 0, A));
        assertEquals("n1/2/a", state.singleActiveConsumer());
        assertTrue(state.holds("n1/2/a", enqueue(1600)));

        // A cancels: B takes over, as before any move
        at(1700, new Cancel("n1/2/a"));
        assertEquals("n2/1/b", state.singleActiveConsumer());
        assertTrue(state.holds("n2/1/b", enqueue(1800)));
    }

    @Test
    void aNewRegistrationAppliedBeforeTheOldOnesDetachTakesThePlaceAtOnce() {
        at(1000, new Checkout("n3/7/a", 10, 0, A)); // from another node, ahead of n1's Detach
        assertEquals("n3/7/a", state.singleActiveConsumer());
        assertTrue(state.holds("n3/7/a", enqueue(1000)), "the old registration receives no more");
        at(1100, new Detach("n1/1/a", new long[0], true)); // no longer holds the place: nothing kept
        assertEquals("n3/7/a", state.singleActiveConsumer());
        assertEquals(QueueState.NEVER, state.nextExpiry(), "no place is waiting for anyone");
        assertTrue(state.holds("n3/7/a", enqueue(1200)));
    }

    @Test
    void aPlaceWhoseConsumerNeverArrivesIsGivenUpByTheLeadersClock() {
        at(1000, new Detach("n1/1/a", new long[0], true));
        long waiting = enqueue(1000);
        assertEquals(1000 + QueueConsumers.MOVE_MILLIS, state.nextExpiry(), "the leader ticks then");
        assertEquals(List.of(), at(1000 + QueueConsumers.MOVE_MILLIS, new Tick()).effects());
        assertEquals(List.of(new Deliver("n2/1/b", waiting, 0)),
                at(1001 + QueueConsumers.MOVE_MILLIS, new Tick()).effects(), "then the next in order takes over");
        assertEquals(QueueState.NEVER, state.nextExpiry());
        at(1002 + QueueConsumers.MOVE_MILLIS, new Checkout("n3/7/a", 10, 0, A));
        assertEquals("n2/1/b", state.singleActiveConsumer(), "A, arriving late, joins at the end");
    }

    @Test
    void aConsumerCancelledOrLostWhileItMovesHandsOverAtOnce() {
        at(1000, new Detach("n1/1/a", new long[0], true));
        long m = enqueue(1000);
        assertEquals(List.of(new Deliver("n2/1/b", m, 0)), at(1100, new Cancel("n1/1/a")).effects());

        at(1150, new Settle("n2/1/b", new long[]{m}));
        at(1200, new Checkout("n1/1/c", 10, 0, "place-of-c"));
        at(1300, new Detach("n2/1/b", new long[0], true));
        long n = enqueue(1300);
        assertEquals(List.of(new Deliver("n1/1/c", n, 0)), at(1400, new NodeDown("n2")).effects(),
                "the node B moved away from died: the next in order takes over");
    }

    @Test
    void aDetachWithoutKeepingThePlaceHandsOverAsBefore() {
        at(1000, new Detach("n1/1/a", new long[0], false));
        assertEquals("n2/1/b", state.singleActiveConsumer());
        at(1100, new Checkout("n3/7/a", 10, 0, A));
        assertEquals("n2/1/b", state.singleActiveConsumer());
    }

    @Test
    void aSnapshotKeepsPlacesAndMovingConsumers() {
        at(1000, new Detach("n1/1/a", new long[0], true));
        QueueState copy = new QueueState();
        copy.restore(state.snapshot());
        assertEquals(state.nextExpiry(), copy.nextExpiry());
        Enqueue e = new Enqueue(4, new byte[4]);
        assertEquals(List.of(), copy.apply(50, 1100, e).effects(), "still waiting for A in the copy");
        Checkout back = new Checkout("n3/7/a", 10, 0, A);
        assertEquals(List.of(new Deliver("n3/7/a", 50, 0)), copy.apply(51, 1200, back).effects());
        assertEquals("n3/7/a", copy.singleActiveConsumer());
    }

    @Test
    void theNewCommandsSurviveTheirLogForm() {
        Checkout c = (Checkout) QueueCommand.decode(QueueCommand.encode(new Checkout("n1/1/a", 5, 3, A)));
        assertEquals(new Checkout("n1/1/a", 5, 3, A), c);
        assertEquals(new Checkout("n1/1/a", 5, 3), QueueCommand.decode(QueueCommand.encode(new Checkout("n1/1/a", 5, 3))));
        Detach d = (Detach) QueueCommand.decode(QueueCommand.encode(new Detach("n1/1/a", new long[]{4, 5}, true)));
        assertTrue(d.keepPlace());
        assertArrayEquals(new long[]{4, 5}, d.kept());
        assertEquals(false, ((Detach) QueueCommand.decode(QueueCommand.encode(new Detach("n1/1/a", new long[0])))).keepPlace());
    }
}
