package io.warren.storage;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;

/**
 * The clock Chronicle sees (stream logs are Chronicle queues). Chronicle picks the file (cycle) from the time; we make the time a
 * counter that we advance ourselves, so that files roll when <em>we</em> decide (by size, by age, at every
 * start, after a write error) and cycle numbers only ever go up. Each cycle is one minute of this fake time.
 */
final class CycleClock implements TimeProvider {
    static final long MILLIS_PER_CYCLE = 60_000L;
    /** One file per minute of this clock; an index is the cycle in its high bits, the record's number below. */
    static final RollCycle ROLL_CYCLE = LegacyRollCycles.MINUTELY;

    private volatile int cycle;

    static int cycleOf(long index) {
        return ROLL_CYCLE.toCycle(index);
    }

    int cycle() {
        return cycle;
    }

    void cycle(int cycle) {
        this.cycle = cycle;
    }

    @Override
    public long currentTimeMillis() {
        // The middle of the minute, away from any boundary arithmetic.
        return cycle * MILLIS_PER_CYCLE + MILLIS_PER_CYCLE / 2;
    }

    @Override
    public long currentTimeMicros() {
        return currentTimeMillis() * 1_000L;
    }

    @Override
    public long currentTimeNanos() {
        return currentTimeMillis() * 1_000_000L;
    }
}
