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
 */
public record QueueInfo(String vhost, String name, boolean durable, boolean autoDelete, boolean exclusive,
                        Map<String, Object> arguments, long messagesReady, long messagesUnacknowledged,
                        long messageBytesReady, int consumers, long published, long delivered,
                        String exclusiveOwner, String policy, Map<String, Object> effectivePolicyDefinition) {

    /**
     * RabbitMQ reports the queue process's memory; Warren has no process per queue, so this is an
     * estimate of what the queue holds: the ready bodies plus a fixed cost per message and per queue.
     */
    public long memoryEstimate() {
        return 4096 + messageBytesReady + 160 * (messagesReady + messagesUnacknowledged);
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
