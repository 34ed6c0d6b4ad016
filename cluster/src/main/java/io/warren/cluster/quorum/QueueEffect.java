package io.warren.cluster.quorum;

/**
 * What applying a command asks the node to do besides changing the state. Every member computes
 * the same effects; each node acts on those that concern it (a delivery to a consumer attached to
 * it), and only the leader dead-letters, so that a message is dead-lettered once.
 */
public sealed interface QueueEffect {
    /** Send message {@code id} to {@code consumer}; {@code deliveryCount} is its x-delivery-count (0: first delivery). */
    record Deliver(String consumer, long id, int deliveryCount) implements QueueEffect {
        public boolean redelivered() {
            return deliveryCount > 0;
        }
    }

    /** Message {@code id} left the queue without being acknowledged: dead-letter it (or drop it without a DLX). */
    record DeadLetter(long id, Reason reason, int deliveryCount) implements QueueEffect {
    }

    /** The queue has not been used for its x-expires: the leader's node deletes it (everywhere). */
    record QueueExpired() implements QueueEffect {
    }

    /**
     * The consumers of {@code node} were dropped and what they held returned (it was taken for dead).
     * A node that is in fact alive (a long pause, or back before the leader noticed it had gone)
     * checks its consumers out again, or they would never be given another message.
     */
    record ConsumersDropped(String node) implements QueueEffect {
    }

    /** Why a message was dead-lettered, as RabbitMQ names it in x-death. */
    enum Reason {
        REJECTED("rejected"), MAXLEN("maxlen"), DELIVERY_LIMIT("delivery_limit"), EXPIRED("expired");

        private final String xDeath;

        Reason(String xDeath) {
            this.xDeath = xDeath;
        }

        public String xDeathName() {
            return xDeath;
        }
    }
}
