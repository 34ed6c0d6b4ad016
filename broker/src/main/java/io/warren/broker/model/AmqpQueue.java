package io.warren.broker.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A queue as the channel, routing and admin code see it, whatever its type: the seam RabbitMQ
 * calls {@code rabbit_queue_type}. Each type ({@link QueueType}) implements how it takes a routed
 * message, hands messages to consumers, settles what they acknowledge, and what it reports; the
 * code above never asks which type it talks to. Implementations must not call back into a channel
 * or another queue while holding their own lock (see {@link QueueConsumer}).
 */
public non-sealed interface AmqpQueue extends Destination {

    /** Which implementation this is (the declared {@code x-queue-type}, as /api/queues shows it). */
    QueueType type();

    VirtualHost vhost();

    @Override
    String name();

    boolean durable();

    boolean exclusive();

    boolean autoDelete();

    /** The declared x-arguments, unmodifiable. */
    Map<String, Object> arguments();

    /** The connection an exclusive queue belongs to; null for others. */
    Object exclusiveOwner();

    /** 405 if this queue is exclusive to another connection. */
    void checkAccess(Object connection);

    /** Redeclare: 405 unless the owner the declare asks for is this queue's. */
    void checkDeclaredOwner(Object owner);

    boolean isDeleted();

    // ---- publishing -----------------------------------------------------------------------

    /**
     * Takes a routed message. False if the queue refused it (the publisher is nacked). A queue
     * that confirms only once its own copy is on disk asks {@code confirm} (null when the
     * publisher wants no confirm) for a callback before returning, and runs it when written.
     */
    boolean enqueue(Message message, ConfirmWait confirm);

    /** Takes a routed message nobody awaits a confirm for (dead letters, admin publish, plugins). */
    default boolean enqueue(Message message) {
        return enqueue(message, null);
    }

    // ---- consuming ------------------------------------------------------------------------

    /**
     * basic.consume: adds a consumer (it gets nothing before {@link #dispatch}); throws the
     * AMQP error if this queue refuses it (in exclusive use, arguments this type does not take).
     */
    void addConsumer(QueueConsumer consumer);

    /** basic.cancel or channel close; an auto-delete queue may go with its last consumer. */
    void removeConsumer(QueueConsumer consumer);

    /**
     * The consumer leaves to be served by another object of the same queue (a node's role in a quorum
     * queue's group changed): as {@link #removeConsumer}, but a queue that keeps consumers' places
     * keeps its {@link QueueConsumer#place} for its next registration.
     */
    default void detachConsumer(QueueConsumer consumer) {
        removeConsumer(consumer);
    }

    /** Delivers what it can to consumers with credit (after an ack, a qos change, writability). */
    void dispatch();

    /** basic.get: the next message, or null if there is none; throws if this type refuses get. */
    QueueEntry get(boolean noAck);

    /**
     * basic.get for a caller that must not wait (a channel's event loop): completed at once by a
     * queue of this node, later by one whose home is another node (its answer crosses the cluster link).
     */
    default java.util.concurrent.CompletableFuture<QueueEntry> getLater(boolean noAck) {
        return java.util.concurrent.CompletableFuture.completedFuture(get(noAck));
    }

    // ---- settling what was delivered ------------------------------------------------------

    /** basic.ack of these entries, in delivery order. */
    void settle(List<QueueEntry> entries);

    /** basic.reject / nack without requeue (dead-lettered where the type does that). */
    void reject(List<QueueEntry> entries);

    /** Back to the queue: the channel closed, basic.recover, or a delivery that found its consumer gone. */
    void requeue(Collection<QueueEntry> entries);

    /** The client's basic.nack / basic.reject with requeue (a type may refuse it, as streams do). */
    default void requeueNacked(Collection<QueueEntry> entries) {
        requeue(entries);
    }

    /** The channel wrote the body of an entry marked {@link QueueEntry#settleAfterRead()}. */
    void settleAfterRead(QueueEntry entry);

    // ---- management -----------------------------------------------------------------------

    /** Removes the ready messages; returns how many. */
    int purge();

    /** As {@link #purge}, for a caller that must not wait (see {@link #getLater}). */
    default java.util.concurrent.CompletableFuture<Integer> purgeLater() {
        return java.util.concurrent.CompletableFuture.completedFuture(purge());
    }

    /** Declare (passive too) counts as use (x-expires); a queue that cannot be used now throws its error. */
    void markUsed();

    /**
     * A consumer's {@code activity_status} for /api/consumers: "up", or with single active consumer
     * "single_active" / "waiting" (queue types that track it say so).
     */
    default String consumerActivity(QueueConsumer consumer) {
        return "up";
    }

    int readyCount();

    /**
     * queue.declare-ok's counts {ready messages, consumers} when this node must ask another for
     * them (completed later, never blocking the caller); null when {@link #readyCount} and
     * {@link #consumerCount} answer at once.
     */
    default java.util.concurrent.CompletableFuture<int[]> countsLater() {
        return null;
    }

    int unackedCount();

    int consumerCount();

    /** The counts the management API shows, consistent with each other. */
    QueueStats stats();

    /** The policy that applies to this queue, or null. */
    Policy policy();

    /**
     * Runs with a new (or no) policy from now on; the returned task does what must happen after the
     * caller released its locks (e.g. publishing dead letters).
     */
    Runnable applyPolicy(Policy p);

    /** Where a durable queue records messages kept in the broker's message store; NONE if not there. */
    QueueJournal journal();

    /**
     * Publisher credit flow: whether this queue holds its publishers back because its consumers fall
     * behind (see {@link QueueFlow}); null if this type never does.
     */
    default QueueFlow flow() {
        return null;
    }

    /** Connects the message store's record of this queue (a type with its own log ignores it). */
    void attachJournal(QueueJournal journal);

    /** Deleted: stops everything and returns the consumers to notify and the ready count dropped. */
    DeleteResult markDeleted();

    /**
     * Another object takes this one's place under the same name ({@link VirtualHost#replaceQueue}):
     * stops as a deleted queue would, but what it stored stays (the definition did not change). The
     * consumers returned move to the replacement; what this object handed them and they have not
     * settled yet is still settled through this object.
     */
    default DeleteResult markReplaced() {
        return markDeleted();
    }

    /**
     * The object that took this one's place ({@link #markReplaced}), if this one was replaced: a
     * basic.consume that found this object just before the replacement attaches there instead.
     */
    default AmqpQueue replacement() {
        return null;
    }

    /**
     * Fields /api/queues shows for this type beyond the common ones (a quorum queue's leader,
     * members and online members); empty by default.
     */
    default Map<String, Object> managementDetails() {
        return Map.of();
    }

    record DeleteResult(int messageCount, List<QueueConsumer> consumers) {
    }
}
