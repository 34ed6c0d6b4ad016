package io.warren.broker.alarm;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shrink comes once per quiet spell that follows a busy or (not too often) a moderate one, or heap growth;
 * never while working, never when always quiet with a steady heap; one more trim in the quiet period after it.
 */
class QuietShrinkTest {
    private static final long MIB = 1L << 20;
    private final AtomicLong cpu = new AtomicLong(1_000_000_000L);
    private final AtomicLong heap = new AtomicLong(64 * MIB);
    private final AtomicInteger shrinks = new AtomicInteger();
    private final AtomicInteger trims = new AtomicInteger();
    private final QuietShrink shrink = new QuietShrink(cpu::get, heap::get, shrinks::incrementAndGet, trims::incrementAndGet);

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
        period(QuietShrink.BUSY_CPU_NANOS / 2); // the shrink's own collection
        period(0);
        period(QuietShrink.QUIET_CPU_NANOS / 2);
        assertEquals(1, shrinks.get(), "once per quiet spell, and its own work starts no spell");
        period(QuietShrink.BUSY_CPU_NANOS + 1);
        period(0);
        assertEquals(2, shrinks.get(), "the next busy spell is followed by another");
    }

    @Test
    void theQuietPeriodAfterAShrinkTrimsOnceMore() {
        period(QuietShrink.BUSY_CPU_NANOS + 1);
        period(0);
        assertEquals(1, shrinks.get());
        assertEquals(0, trims.get(), "the shrink trims itself");
        period(0);
        assertEquals(0, trims.get(), "not in the shrink's own period");
        period(0);
        assertEquals(1, trims.get(), "the next quiet one");
        period(0);
        period(0);
        assertEquals(1, trims.get(), "only once");
        assertEquals(1, shrinks.get());
    }

    @Test
    void workAfterAShrinkCancelsItsLateTrim() {
        period(QuietShrink.BUSY_CPU_NANOS + 1);
        period(0);
        period(0);
        period(QuietShrink.QUIET_CPU_NANOS * 2);
        assertEquals(0, trims.get());
    }

    @Test
    void aBrokerThatWasNeverBusyAndKeptItsHeapIsNeverShrunk() {
        for (int i = 0; i < 10; i++) {
            period(QuietShrink.QUIET_CPU_NANOS - 1);
        }
        assertEquals(0, shrinks.get());
    }

    @Test
    void aModerateSpellShrinksWhenQuietButNotOftenerThanItsSpacing() {
        long moderate = (QuietShrink.QUIET_CPU_NANOS + QuietShrink.BUSY_CPU_NANOS) / 2;
        for (int i = 0; i < QuietShrink.MODERATE_SPELL_PERIODS; i++) {
            period(moderate);
        }
        assertEquals(0, shrinks.get(), "not while working");
        period(0);
        assertEquals(1, shrinks.get(), "a steady moderate load leaves JIT code and C heap behind too");
        period(moderate); // the shrink's own period
        period(moderate);
        period(0);
        assertEquals(1, shrinks.get(), "a moderate blip soon after a shrink waits for the spacing");
        for (int i = 0; i < QuietShrink.MODERATE_SPELL_PERIODS - 4; i++) {
            period(0);
        }
        assertEquals(1, shrinks.get(), "quiet periods alone never shrink");
        period(moderate);
        period(0);
        assertEquals(2, shrinks.get(), "past the spacing, the spell shrinks");
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
        period(0);
        assertEquals(1, shrinks.get(), "the heap after the shrink is the new baseline");
        heap.addAndGet(QuietShrink.HEAP_GROWTH_BYTES + 1);
        period(0);
        assertEquals(2, shrinks.get());
    }

    @Test
    void aJvmThatCannotTellItsCpuTimeIsNeverShrunk() {
        QuietShrink blind = new QuietShrink(() -> -1, heap::get, shrinks::incrementAndGet, trims::incrementAndGet);
        heap.addAndGet(QuietShrink.HEAP_GROWTH_BYTES * 4);
        for (int i = 0; i < 5; i++) {
            blind.sample();
        }
        assertEquals(0, shrinks.get());
    }
}
