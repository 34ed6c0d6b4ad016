package io.warren.broker.alarm;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The trim comes once per quiet spell that follows a busy one, never while busy, never when always quiet. */
class NativeHeapTrimTest {
    private final AtomicLong cpu = new AtomicLong(1_000_000_000L);
    private final AtomicInteger trims = new AtomicInteger();
    private final NativeHeapTrim trim = new NativeHeapTrim(cpu::get, trims::incrementAndGet);

    private void period(long cpuNanos) {
        cpu.addAndGet(cpuNanos);
        trim.sample();
    }

    @Test
    void aQuietPeriodAfterABusyOneTrimsOnce() {
        period(NativeHeapTrim.BUSY_CPU_NANOS + 1);
        period(NativeHeapTrim.BUSY_CPU_NANOS * 3);
        assertEquals(0, trims.get(), "not while busy");
        period(NativeHeapTrim.QUIET_CPU_NANOS - 1);
        assertEquals(1, trims.get());
        period(0);
        period(NativeHeapTrim.QUIET_CPU_NANOS / 2);
        assertEquals(1, trims.get(), "once per quiet spell");
        period(NativeHeapTrim.BUSY_CPU_NANOS + 1);
        period(0);
        assertEquals(2, trims.get(), "the next busy spell is followed by another");
    }

    @Test
    void aBrokerThatWasNeverBusyIsNeverTrimmed() {
        for (int i = 0; i < 10; i++) {
            period(NativeHeapTrim.QUIET_CPU_NANOS - 1);
        }
        assertEquals(0, trims.get());
    }

    @Test
    void betweenQuietAndBusyNeitherStartsNorEndsASpell() {
        long between = (NativeHeapTrim.QUIET_CPU_NANOS + NativeHeapTrim.BUSY_CPU_NANOS) / 2;
        period(between);
        period(0);
        assertEquals(0, trims.get(), "a moderate period is not a busy spell");
        period(NativeHeapTrim.BUSY_CPU_NANOS + 1);
        period(between);
        assertEquals(0, trims.get(), "nor the end of one");
        period(0);
        assertEquals(1, trims.get());
    }

    @Test
    void aJvmThatCannotTellItsCpuTimeIsNeverTrimmed() {
        NativeHeapTrim blind = new NativeHeapTrim(() -> -1, trims::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            blind.sample();
        }
        assertEquals(0, trims.get());
    }
}
