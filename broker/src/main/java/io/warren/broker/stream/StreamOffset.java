package io.warren.broker.stream;

import io.warren.broker.error.ChannelException;
import io.warren.broker.model.QueueArguments;
import io.warren.codec.Timestamp;
import io.warren.storage.StreamLog;

/**
 * Where a consumer starts reading, from its {@code x-stream-offset} argument (RabbitMQ 3.10 semantics,
 * observed): none or {@code next} is the end (new messages only); {@code first} the oldest kept;
 * {@code last} the newest message; a number that offset (below the first: the first; past the end:
 * nothing until the stream gets there); an AMQP timestamp or an interval ({@code 1h}, {@code 7D}: that long ago) the first message
 * that arrived at or after that time. RabbitMQ 3.10 crashes the connection (541) on other values;
 * Warren refuses them with 406.
 */
final class StreamOffset {
    private StreamOffset() {
    }

    /** Throws 406 if the argument is not one of the accepted forms (before the consumer exists). */
    static void check(Object spec, String what) {
        if (spec == null || spec instanceof Timestamp || QueueArguments.integerValue(spec) != null) {
            return;
        }
        if (spec instanceof String s && (s.equals("first") || s.equals("last") || s.equals("next")
                || StreamSettings.ageMillis(s) != null)) {
            return;
        }
        throw ChannelException.preconditionFailed("invalid arg 'x-stream-offset' for " + what + ": "
                + (spec instanceof String s ? "'" + s + "'" : QueueArguments.typeName(spec)));
    }

    /**
     * The offset to start at; reads at most one segment (timestamps). Not on an event loop.
     * {@code endAtSubscribe} is the stream's end when the consumer subscribed: what was published
     * after that is never skipped, however late this runs.
     */
    static long resolve(Object spec, StreamLog log, long nowMillis, long endAtSubscribe) {
        long first = log.firstOffset();
        long end = Math.max(first, Math.min(log.end(), endAtSubscribe));
        if (spec == null) {
            return end;
        }
        if (spec instanceof Timestamp t) {
            return Math.min(log.offsetAt(t.epochSeconds() * 1000L), end);
        }
        Long n = QueueArguments.integerValue(spec);
        if (n != null) {
            return Math.max(first, n); // past the end: the consumer waits for that offset (RabbitMQ 3.10)
        }
        String s = (String) spec;
        return switch (s) {
            case "first" -> first;
            case "last" -> Math.max(first, end - 1);
            case "next" -> end;
            default -> Math.min(log.offsetAt(nowMillis - StreamSettings.ageMillis(s)), end);
        };
    }
}
