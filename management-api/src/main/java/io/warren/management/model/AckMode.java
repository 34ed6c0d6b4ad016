package io.warren.management.model;

import java.util.Locale;
import java.util.Optional;

/** What the API's get does with the messages it took, as RabbitMQ's {@code ackmode} values say. */
public enum AckMode {
    ACK_REQUEUE_TRUE(true), ACK_REQUEUE_FALSE(false), REJECT_REQUEUE_TRUE(true), REJECT_REQUEUE_FALSE(false);

    private final boolean requeue;

    AckMode(boolean requeue) {
        this.requeue = requeue;
    }

    public boolean requeue() {
        return requeue;
    }

    public static Optional<AckMode> parse(String s) {
        for (AckMode m : values()) {
            if (m.name().toLowerCase(Locale.ROOT).equals(s)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
