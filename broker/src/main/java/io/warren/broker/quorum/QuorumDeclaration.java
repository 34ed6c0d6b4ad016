package io.warren.broker.quorum;

import io.warren.broker.error.ChannelException;

import java.util.Map;
import java.util.Set;

/**
 * What RabbitMQ 3.10 refuses on queue.declare of {@code x-queue-type: quorum}, in its order and
 * with its texts (read off a real 3.10.8 node): a server-named queue first, then (after the
 * arguments' own checks, {@code QueueArguments.parse}) arguments of other queue types, then the
 * properties a replicated queue cannot have: auto-delete, exclusive, non-durable.
 */
public final class QuorumDeclaration {
    /** Arguments RabbitMQ knows for classic or stream queues only; unknown x- arguments are accepted. */
    static final Set<String> OTHER_TYPES_ONLY = Set.of("x-max-priority", "x-queue-mode", "x-queue-master-locator",
            "x-queue-version", "x-max-age", "x-stream-max-segment-size-bytes", "x-initial-cluster-size");

    private QuorumDeclaration() {
    }

    public static boolean isQuorum(Map<String, Object> args) {
        return args != null && "quorum".equals(args.get("x-queue-type"));
    }

    /** Before anything else: a quorum queue needs a name the client chose. */
    public static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw ChannelException.preconditionFailed("Cannot declare a server-named queue for type rabbit_quorum_queue");
        }
    }

    /**
     * After the arguments passed their own checks; {@code what} is "queue 'q' in vhost '/'". The
     * order follows RabbitMQ: a bad argument is reported before a bad property.
     */
    public static void check(boolean durable, boolean exclusive, boolean autoDelete, Map<String, Object> args,
                             String what) {
        if (args != null) {
            Object size = args.get("x-quorum-initial-group-size");
            if (size != null) {
                Long n = io.warren.broker.model.QueueArguments.integerValue(size);
                if (n == null) {
                    throw invalidArg("x-quorum-initial-group-size", what, "\"expected integer, got "
                            + io.warren.broker.model.QueueArguments.typeName(size) + "\"");
                }
                if (n == 0) {
                    throw invalidArg("x-quorum-initial-group-size", what, "{value_zero,0}");
                }
                if (n < 0) {
                    throw invalidArg("x-quorum-initial-group-size", what, "{value_negative," + n + "}");
                }
            }
            Object locator = args.get("x-queue-leader-locator");
            if (locator != null && !(locator instanceof String)) {
                throw invalidArg("x-queue-leader-locator", what, "{unacceptable_type,"
                        + io.warren.broker.model.QueueArguments.typeName(locator) + "}");
            }
            if (locator instanceof String l && !LeaderLocator.known(l)) {
                throw invalidArg("x-queue-leader-locator", what, "invalid_queue_locator_arg");
            }
            for (String key : args.keySet()) {
                if (OTHER_TYPES_ONLY.contains(key)) {
                    throw ChannelException.preconditionFailed("invalid arg '" + key + "' for " + what
                            + " of queue type rabbit_quorum_queue");
                }
            }
        }
        if (autoDelete) {
            throw invalidProperty("auto-delete", what);
        }
        if (exclusive) {
            throw invalidProperty("exclusive-owner", what);
        }
        if (!durable) {
            throw invalidProperty("non-durable", what);
        }
    }

    private static ChannelException invalidArg(String key, String what, String reason) {
        return ChannelException.preconditionFailed("invalid arg '" + key + "' for " + what + ": " + reason);
    }

    private static ChannelException invalidProperty(String property, String what) {
        return ChannelException.preconditionFailed("invalid property '" + property + "' for " + what);
    }
}
