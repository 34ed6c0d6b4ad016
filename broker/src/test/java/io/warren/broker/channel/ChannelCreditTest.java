package io.warren.broker.channel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The channel-wide limit as RabbitMQ 3.10's rabbit_limiter keeps its volume. */
class ChannelCreditTest {

    @Test
    void withoutALimitEverythingPassesAndNothingIsCounted() {
        ChannelCredit c = new ChannelCredit();
        for (int i = 0; i < 1000; i++) {
            assertTrue(c.tryAcquire(true));
        }
        c.setLimit(2, 0); // nothing was counted: the volume starts at what the channel says is unacked
        assertTrue(c.tryAcquire(true));
        assertTrue(c.tryAcquire(true));
        assertFalse(c.tryAcquire(true));
    }

    @Test
    void noAckDeliveriesWaitWhenTheLimitIsUsedUpButDoNotCount() {
        ChannelCredit c = new ChannelCredit();
        c.setLimit(2, 0);
        for (int i = 0; i < 10; i++) {
            assertTrue(c.tryAcquire(false));
        }
        assertTrue(c.tryAcquire(true));
        assertTrue(c.tryAcquire(true));
        assertFalse(c.tryAcquire(false), "a used-up limit holds no-ack deliveries back too");
        c.release();
        assertTrue(c.tryAcquire(false));
    }

    @Test
    void switchingTheLimitOnStartsFromTheUnackedCountAndChangingItKeepsTheVolume() {
        ChannelCredit c = new ChannelCredit();
        c.setLimit(3, 2);
        assertTrue(c.tryAcquire(true));
        assertFalse(c.tryAcquire(true));
        c.setLimit(4, 99); // already limited: the volume (3) stays
        assertTrue(c.tryAcquire(true));
        assertFalse(c.tryAcquire(true));
        assertEquals(4, c.limit());
        c.setLimit(0, 0); // off: forgotten
        c.release();
        c.setLimit(1, 0);
        assertTrue(c.tryAcquire(true));
        assertFalse(c.tryAcquire(true));
    }

    @Test
    void releaseNeverTakesTheVolumeBelowZero() {
        ChannelCredit c = new ChannelCredit();
        c.setLimit(1, 0);
        c.release(); // a delivery made before the limit existed
        assertTrue(c.tryAcquire(true));
        assertFalse(c.tryAcquire(true));
    }
}
