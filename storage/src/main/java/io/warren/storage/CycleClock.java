package io.warren.storage;

import net.openhft.chronicle.core.time.TimeProvider;

/**
 * The clock Chronicle sees. Chronicle picks the journal file (cycle) from the time; we make the time a
 * counter that we advance ourselves, so that files roll when <em>we</em> decide (by size, by age, at every
 * start, after a write error) and cycle numbers only ever go up. Each cycle is one minute of this fake time.
 */
final class CycleClock implements TimeProvider {
    static final long MILLIS_PER_CYCLE = 60_000L;

    private volatile int cycle;

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
