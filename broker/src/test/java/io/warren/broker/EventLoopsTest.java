package io.warren.broker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventLoopsTest {
    @Test
    void defaultIsHalfTheCoresAndAtLeastOne() {
        assertEquals(1, EventLoops.count(0, 1));
        assertEquals(1, EventLoops.count(0, 2));
        assertEquals(1, EventLoops.count(0, 3));
        assertEquals(4, EventLoops.count(0, 8));
    }

    @Test
    void aConfiguredCountIsTakenAsGiven() {
        assertEquals(3, EventLoops.count(3, 2));
        assertEquals(1, EventLoops.count(1, 16));
    }
}
