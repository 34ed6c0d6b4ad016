package io.warren.broker.model;

import io.warren.cluster.quorum.QueueCommand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettleBatcherTest {
    @Test
    void acksThatComeWhileTwoBatchesAreInFlightGoTogetherAsOneSettlePerHolder() {
        SettleBatcher b = new SettleBatcher();
        assertTrue(b.add("ch1", new long[]{1}), "nothing in flight: send at once");
        List<QueueCommand.Settle> first = b.takeBatch();
        assertEquals(1, first.size());
        assertArrayEquals(new long[]{1}, first.get(0).ids());
        assertTrue(b.add("ch1", new long[]{9}), "one batch in flight: a second may go");
        assertEquals(1, b.takeBatch().size());

        assertFalse(b.add("ch1", new long[]{2}), "two batches are in flight: wait");
        assertFalse(b.add("ch2", new long[]{7}));
        assertFalse(b.add("ch1", new long[]{3, 4}));
        assertTrue(b.takeBatch().isEmpty(), "no third batch while two are in flight");
        assertTrue(b.batchDone(), "acks wait to be sent");

        List<QueueCommand.Settle> third = b.takeBatch();
        assertEquals(2, third.size());
        assertEquals("ch1", third.get(0).consumer());
        assertArrayEquals(new long[]{2, 3, 4}, third.get(0).ids());
        assertEquals("ch2", third.get(1).consumer());
        assertArrayEquals(new long[]{7}, third.get(1).ids());
        assertFalse(b.batchDone(), "nothing left");
        assertTrue(b.add("ch1", new long[]{5}), "one in flight: send at once");
    }

    @Test
    void aCommandThatMustFollowTheAcksTakesThemWithoutEndingTheBatchInFlight() {
        SettleBatcher b = new SettleBatcher();
        b.add("ch1", new long[]{1});
        b.takeBatch();
        b.add("ch1", new long[]{8});
        b.takeBatch();
        b.add("ch1", new long[]{2});
        List<QueueCommand.Settle> before = b.takeAll();
        assertEquals(1, before.size());
        assertArrayEquals(new long[]{2}, before.get(0).ids());
        assertTrue(b.takeAll().isEmpty());
        assertFalse(b.add("ch1", new long[]{3}), "both batches are still in flight");
    }
}
