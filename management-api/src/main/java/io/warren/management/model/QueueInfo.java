package io.warren.management.model;

import java.util.Map;

/**
 * One queue, read in one consistent snapshot.
 *
 * @param messagesReady          messages waiting for a consumer
 * @param messagesUnacknowledged messages delivered and not yet settled
 * @param messageBytesReady      body bytes of the ready messages
 * @param published              messages enqueued since the queue was declared
 * @param delivered              messages handed out (consumers and basic.get) since the queue was declared
 * @param exclusiveOwner         name of the owning connection for an exclusive queue, else null
 * @param policy                 name of the policy that applies, else null
 * @param effectivePolicyDefinition that policy's definition (empty without one)
 * @param messagesPagedOut       ready messages held only on disk (their bodies are read back when delivered)
 * @param messageBytesPagedOut   body bytes of those
 * @param type                   classic, quorum or stream (as x-queue-type names it)
 * @param segments               a stream's segment files (0 for other types)
 * @param typeDetails            fields only this queue type shows (a quorum queue's leader, members, online)
 */
public record QueueInfo(String vhost, String name, boolean durable, boolean autoDelete, boolean exclusive,
                        Map<String, Object> arguments, long messagesReady, long messagesUnacknowledged,
                        long messageBytesReady, int consumers, long published, long delivered,
                        String exclusiveOwner, String policy, Map<String, Object> effectivePolicyDefinition,
                        long messagesPagedOut, long messageBytesPagedOut, String type, long segments,
                        Map<String, Object> typeDetails) {

    /** A queue of one type, without fields of its own beyond segments. */
    public QueueInfo(String vhost, String name, boolean durable, boolean autoDelete, boolean exclusive,
                     Map<String, Object> arguments, long messagesReady, long messagesUnacknowledged,
                     long messageBytesReady, int consumers, long published, long delivered,
                     String exclusiveOwner, String policy, Map<String, Object> effectivePolicyDefinition,
                     long messagesPagedOut, long messageBytesPagedOut, String type, long segments) {
        this(vhost, name, durable, autoDelete, exclusive, arguments, messagesReady, messagesUnacknowledged,
                messageBytesReady, consumers, published, delivered, exclusiveOwner, policy, effectivePolicyDefinition,
                messagesPagedOut, messageBytesPagedOut, type, segments, Map.of());
    }

    /** A queue of the type its arguments name, without segments. */
    public QueueInfo(String vhost, String name, boolean durable, boolean autoDelete, boolean exclusive,
                     Map<String, Object> arguments, long messagesReady, long messagesUnacknowledged,
                     long messageBytesReady, int consumers, long published, long delivered,
                     String exclusiveOwner, String policy, Map<String, Object> effectivePolicyDefinition,
                     long messagesPagedOut, long messageBytesPagedOut) {
        this(vhost, name, durable, autoDelete, exclusive, arguments, messagesReady, messagesUnacknowledged,
                messageBytesReady, consumers, published, delivered, exclusiveOwner, policy, effectivePolicyDefinition,
                messagesPagedOut, messageBytesPagedOut,
                String.valueOf(arguments == null ? "classic" : arguments.getOrDefault("x-queue-type", "classic")), 0);
    }

    /**
     * RabbitMQ reports the queue process's memory; Warren has no process per queue, so this is an
     * estimate of what the queue holds: the ready bodies in memory plus a fixed cost per message in
     * memory (~160 bytes) and per paged-out message (~40 bytes), and per queue.
     */
    public long memoryEstimate() {
        long inMemory = messagesReady + messagesUnacknowledged - messagesPagedOut;
        return 4096 + (messageBytesReady - messageBytesPagedOut) + 160 * inMemory + 40 * messagesPagedOut;
    }

    /** A queue with nothing paged out. */
    public QueueInfo(String vhost, String name, boolean durable, boolean autoDelete, boolean exclusive,
                     Map<String, Object> arguments, long messagesReady, long messagesUnacknowledged,
                     long messageBytesReady, int consumers, long published, long delivered, String exclusiveOwner,
                     String policy, Map<String, Object> effectivePolicyDefinition) {
        this(vhost, name, durable, autoDelete, exclusive, arguments, messagesReady, messagesUnacknowledged,
                messageBytesReady, consumers, published, delivered, exclusiveOwner, policy, effectivePolicyDefinition,
                0, 0);
    }

    /** A queue no policy applies to. */
    public QueueInfo(String vhost, String name, boolean durable, boolean autoDelete, boolean exclusive,
                     Map<String, Object> arguments, long messagesReady, long messagesUnacknowledged,
                     long messageBytesReady, int consumers, long published, long delivered, String exclusiveOwner) {
        this(vhost, name, durable, autoDelete, exclusive, arguments, messagesReady, messagesUnacknowledged,
                messageBytesReady, consumers, published, delivered, exclusiveOwner, null, Map.of());
    }

    public long messages() {
        return messagesReady + messagesUnacknowledged;
    }
}
