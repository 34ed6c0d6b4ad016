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
    void acksThatComeWhileABatchIsInFlightGoTogetherAsOneSettlePerHolder() {
        SettleBatcher b = new SettleBatcher();
        assertTrue(b.add("ch1", new long[]{1}), "nothing in flight: send at once");
        List<QueueCommand.Settle> first = b.takeBatch();
        assertEquals(1, first.size());
        assertArrayEquals(new long[]{1}, first.get(0).ids());

        assertFalse(b.add("ch1", new long[]{2}), "a batch is in flight: wait");
        assertFalse(b.add("ch2", new long[]{7}));
        assertFalse(b.add("ch1", new long[]{3, 4}));
        assertTrue(b.batchDone(), "acks wait to be sent");

        List<QueueCommand.Settle> second = b.takeBatch();
        assertEquals(2, second.size());
        assertEquals("ch1", second.get(0).consumer());
        assertArrayEquals(new long[]{2, 3, 4}, second.get(0).ids());
        assertEquals("ch2", second.get(1).consumer());
        assertArrayEquals(new long[]{7}, second.get(1).ids());
        assertFalse(b.batchDone(), "nothing left");
        assertTrue(b.add("ch1", new long[]{5}), "in flight no more: send at once");
    }

    @Test
    void aCommandThatMustFollowTheAcksTakesThemWithoutEndingTheBatchInFlight() {
        SettleBatcher b = new SettleBatcher();
        b.add("ch1", new long[]{1});
        b.takeBatch();
        b.add("ch1", new long[]{2});
        List<QueueCommand.Settle> before = b.takeAll();
        assertEquals(1, before.size());
        assertArrayEquals(new long[]{2}, before.get(0).ids());
        assertTrue(b.takeAll().isEmpty());
        assertFalse(b.add("ch1", new long[]{3}), "the first batch is still in flight");
    }
}
