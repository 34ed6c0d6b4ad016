package io.warren.broker.net;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryWindowTest {
    private final AtomicInteger resumes = new AtomicInteger();
    private final DeliveryWindow window = new DeliveryWindow(resumes::incrementAndGet);

    @Test
    void bytesNotCountsCloseTheWindowAndItReopensAtHalf() {
        int big = DeliveryWindow.cost(1 << 20);
        for (int i = 0; i < 4; i++) {
            assertTrue(window.open());
            window.taken(big);
        }
        assertFalse(window.open(), "four 1 MiB deliveries fill it");
        window.written(big);
        window.written(big);
        assertEquals(0, resumes.get(), "not yet down to half");
        window.written(big);
        assertEquals(1, resumes.get(), "at half the queues are told to go on");
        assertTrue(window.open());
        window.written(big);
        assertEquals(1, resumes.get(), "told once per closing");
        assertEquals(0, window.unwrittenBytes());
    }

    @Test
    void oneMessageLargerThanTheWindowStillGoesThrough() {
        assertTrue(window.open());
        window.taken(DeliveryWindow.cost(64 << 20));
        assertFalse(window.open());
        window.written(DeliveryWindow.cost(64 << 20));
        assertEquals(1, resumes.get());
        assertTrue(window.open());
    }

    @Test
    void thousandsOfSmallMessagesFitBeforeItCloses() {
        int n = 0;
        while (window.open()) {
            window.taken(DeliveryWindow.cost(12));
            n++;
        }
        assertTrue(n >= 4000, "a deep queue's drain keeps thousands of small reads in flight: " + n);
    }
}
