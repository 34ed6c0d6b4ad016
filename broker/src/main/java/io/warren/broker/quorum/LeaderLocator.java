package io.warren.broker.quorum;

/**
 * Where a new quorum queue's leader goes: RabbitMQ's {@code x-queue-leader-locator} argument (or its
 * {@code queue-leader-locator} policy key), read once, when the queue is placed.
 */
public enum LeaderLocator {
    /**
     * Neither given: balanced, and among the nodes leading the fewest queues the declaring node first.
     * A queue declared on an empty cluster leads where its declaring client is (RabbitMQ's default,
     * client-local), and queues declared one after another through one node still spread their leaders.
     */
    UNSET,
    /** On the node the declaring client is connected to. */
    CLIENT_LOCAL,
    /** On the member leading the fewest queues (RabbitMQ 3.10 takes {@code random} for this too). */
    BALANCED;

    /** The argument's or the policy's value; {@link #UNSET} for anything else (declare checks refuse it first). */
    public static LeaderLocator of(Object value) {
        if ("client-local".equals(value)) {
            return CLIENT_LOCAL;
        }
        if ("balanced".equals(value) || "random".equals(value)) {
            return BALANCED;
        }
        return UNSET;
    }

    /** Whether RabbitMQ 3.10 takes this string as a locator. */
    static boolean known(String value) {
        return value.equals("client-local") || value.equals("balanced") || value.equals("random");
    }
}
