package io.warren.codec;

import java.time.Instant;

/** Field-table value of type 'T': seconds since the epoch (AMQP timestamps have no sub-second part). */
public record Timestamp(long epochSeconds) {
    public Instant toInstant() {
        return Instant.ofEpochSecond(epochSeconds);
    }

    public static Timestamp of(Instant instant) {
        return new Timestamp(instant.getEpochSecond());
    }
}
