package io.warren.broker.alarm;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shrink comes once per quiet spell that follows a busy one (or heap growth), never while busy,
 * never when always quiet with a steady heap.
 */
class QuietShrinkTest {
    private static final long MIB = 1L << 20;
    private final AtomicLong cpu = new AtomicLong(1_000_000_000L);
    private final AtomicLong heap = new AtomicLong(64 * MIB);
    private final AtomicInteger shrinks = new AtomicInteger();
    private final QuietShrink shrink = new QuietShrink(cpu::get, heap::get, shrinks::incrementAndGet);

    private void period(long cpuNanos) {
        cpu.addAndGet(cpuNanos);
        shrink.sample();
    }

    @Test
    void aQuietPeriodAfterABusyOneShrinksOnce() {
        period(QuietShrink.BUSY_CPU_NANOS + 1);
        period(QuietShrink.BUSY_CPU_NANOS * 3);
        assertEquals(0, shrinks.get(), "not while busy");
        period(QuietShrink.QUIET_CPU_NANOS - 1);
        assertEquals(1, shrinks.get());
        period(0);
        period(QuietShrink.QUIET_CPU_NANOS / 2);
        assertEquals(1, shrinks.get(), "once per quiet spell");
        period(QuietShrink.BUSY_CPU_NANOS + 1);
        period(0);
        assertEquals(2, shrinks.get(), "the next busy spell is followed by another");
    }

    @Test
    void aBrokerThatWasNeverBusyAndKeptItsHeapIsNeverShrunk() {
        for (int i = 0; i < 10; i++) {
            period(QuietShrink.QUIET_CPU_NANOS - 1);
        }
        assertEquals(0, shrinks.get());
    }

    @Test
    void betweenQuietAndBusyNeitherStartsNorEndsASpell() {
        long between = (QuietShrink.QUIET_CPU_NANOS + QuietShrink.BUSY_CPU_NANOS) / 2;
        period(between);
        period(0);
        assertEquals(0, shrinks.get(), "a moderate period is not a busy spell");
        period(QuietShrink.BUSY_CPU_NANOS + 1);
        period(between);
        assertEquals(0, shrinks.get(), "nor the end of one");
        period(0);
        assertEquals(1, shrinks.get());
    }

    @Test
    void aHeapThatGrewUnderAModerateLoadIsShrunkOnceQuiet() {
        long between = (QuietShrink.QUIET_CPU_NANOS + QuietShrink.BUSY_CPU_NANOS) / 2;
        heap.addAndGet(QuietShrink.HEAP_GROWTH_BYTES / 2);
        period(between);
        period(0);
        assertEquals(0, shrinks.get(), "a little growth is left alone");
        heap.addAndGet(QuietShrink.HEAP_GROWTH_BYTES);
        period(between);
        assertEquals(0, shrinks.get(), "not while working");
        period(0);
        assertEquals(1, shrinks.get(), "grown past the margin, then quiet");
        heap.set(70 * MIB); // what the collection left
        period(0);
        period(0);
        assertEquals(1, shrinks.get(), "the heap after the shrink is the new baseline");
        heap.addAndGet(QuietShrink.HEAP_GROWTH_BYTES + 1);
        period(0);
        assertEquals(2, shrinks.get());
    }

    @Test
    void aJvmThatCannotTellItsCpuTimeIsNeverShrunk() {
        QuietShrink blind = new QuietShrink(() -> -1, heap::get, shrinks::incrementAndGet);
        heap.addAndGet(QuietShrink.HEAP_GROWTH_BYTES * 4);
        for (int i = 0; i < 5; i++) {
            blind.sample();
        }
        assertEquals(0, shrinks.get());
    }
}
