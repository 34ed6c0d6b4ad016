package io.warren.broker.quorum;

import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How a node that holds no member of a quorum queue serves that queue's consumers and basic.get:
 * through a member, over the node-to-node link, where the member's own queue code delivers (a
 * delivery needs the message body, which only members have in their Raft log). Everything that
 * only needs the log (publish, purge, counts) the node submits to the group itself as a Raft
 * client. When the member it uses goes, its consumers are attached again at another member; what
 * the lost member had delivered and not seen settled goes back to the queue there.
 */
public interface QuorumRelay {
    /** What the client did with delivered messages. */
    enum Settlement { ACK, REJECT, REQUEUE }

    /** Makes the relay of one quorum queue of this node; set once the node-to-node links exist. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param queue   the queue as this node's channels see it (deliveries name it)
         * @param members the nodes holding the group, in placement order, as the cluster's log has them now
         * @param leader  the member this node last knew leading the group, or null
         */
        QuorumRelay create(AmqpQueue queue, Supplier<List<String>> members, Supplier<String> leader);
    }

    /** Attaches the consumer at a member (again at another when that one goes). */
    void addConsumer(QueueConsumer consumer);

    void removeConsumer(QueueConsumer consumer);

    /** basic.get at a member; the entry (null: empty) is settled through the same member. */
    CompletableFuture<QueueEntry> get(boolean noAck);

    /** The ready count the member reported with the last basic.get (for basic.get-ok). */
    int lastRemaining();

    /** Settles entries this relay delivered with the member that delivered them. */
    void settle(Collection<QueueEntry> entries, Settlement kind);

    /** The queue was deleted: every consumer goes (the caller cancels them). */
    List<QueueConsumer> clear();

    /**
     * This node's object for the queue was replaced (it holds a member now): every consumer goes, and
     * each keeps its place in the group's subscription order for its registration at the replacement.
     */
    List<QueueConsumer> detachAll();
}
