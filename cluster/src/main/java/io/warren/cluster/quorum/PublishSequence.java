package io.warren.cluster.quorum;

import java.util.UUID;

/**
 * Numbers one node's publishes to one quorum queue, so that the queue keeps them in the order they
 * were made however their commands are retried (see {@link PublisherOrder}). A publish that fails
 * leaves a gap the later ones would wait for: the node then submits {@link #failed}'s flush and
 * numbers what follows under a new key.
 */
public final class PublishSequence {
    private final String node;
    private String key;
    private long next = 1;

    public PublishSequence(String node) {
        this.node = node;
        this.key = newKey();
    }

    /** The enqueue command for the next publish, in the order of these calls. */
    public synchronized QueueCommand.Enqueue stamp(int size, byte[] content) {
        return stamp(size, content, -1);
    }

    /** As {@link #stamp(int, byte[])}, for a message with its own TTL ({@code expiration}; -1: none). */
    public synchronized QueueCommand.Enqueue stamp(int size, byte[] content, long ttl) {
        return new QueueCommand.Enqueue(size, content, key, next++, ttl);
    }

    /**
     * {@code publish} was not committed: the command that lets the publishes after it go to the queue
     * without it. Publishes from now on are numbered under a new key.
     */
    public synchronized QueueCommand.Flush failed(QueueCommand.Enqueue publish) {
        if (publish.publisher().equals(key)) {
            key = newKey();
            next = 1;
        }
        return new QueueCommand.Flush(publish.publisher());
    }

    private String newKey() {
        return node + "/publisher-" + UUID.randomUUID();
    }
}
