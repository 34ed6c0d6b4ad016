package io.warren.broker.channel;

import io.warren.broker.error.ChannelException;
import io.warren.broker.error.ConnectionException;
import io.warren.broker.model.Message;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueArguments;
import io.warren.broker.model.QueueEntry;
import io.warren.broker.model.VirtualHost;
import io.warren.codec.method.BasicAck;
import io.warren.codec.method.BasicCancel;
import io.warren.codec.method.BasicCancelOk;
import io.warren.codec.method.BasicConsume;
import io.warren.codec.method.BasicConsumeOk;
import io.warren.codec.method.BasicDeliver;
import io.warren.codec.method.BasicGet;
import io.warren.codec.method.BasicGetEmpty;
import io.warren.codec.method.BasicGetOk;
import io.warren.codec.method.BasicNack;
import io.warren.codec.method.BasicQos;
import io.warren.codec.method.BasicQosOk;
import io.warren.codec.method.BasicReject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The consuming side of a channel: basic.qos, consume, cancel, get, and the settlement of
 * deliveries (ack, nack, reject, recover). Owns the channel's delivery-tag counter and its
 * unacked deliveries. Runs on the channel's event loop only.
 */
final class ConsumeMethods {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumeMethods.class);
    private final AmqpChannel channel;
    private final Map<String, ChannelConsumer> consumers = new LinkedHashMap<>();
    private List<AmqpQueue> consumedQueues;    // distinct queues of the consumers; null: rebuild
    private int resumeTurn;                // which of them is resumed first next time
    private final UnackedDeliveries unacked = new UnackedDeliveries();
    private long deliveryTag;
    private int consumerPrefetch;          // basic.qos global=false: applies to consumers created later
    private boolean creditReleased;        // some credit came back this read batch: let queues dispatch

    ConsumeMethods(AmqpChannel channel) {
        this.channel = channel;
    }

    int unackedCount() {
        return unacked.size();
    }

    int prefetchCount() {
        return consumerPrefetch;
    }

    boolean hasConsumers() {
        return !consumers.isEmpty();
    }

    List<AmqpChannel.ConsumerDetails> consumerDetails() {
        List<AmqpChannel.ConsumerDetails> out = new ArrayList<>(consumers.size());
        for (ChannelConsumer c : consumers.values()) {
            out.add(new AmqpChannel.ConsumerDetails(c.tag(), c.queue(), !c.noAck(), c.exclusive(), c.prefetch(),
                    c.priority(), c.queue().consumerActivity(c)));
        }
        return out;
    }

    long nextDeliveryTag() {
        return ++deliveryTag;
    }

    void qos(BasicQos m) {
        if (m.prefetchSize() != 0) {
            throw ConnectionException.notImplemented("prefetch_size!=0 (" + Integer.toUnsignedLong(m.prefetchSize()) + ")");
        }
        if (m.global()) {
            channel.credit().setLimit(m.prefetchCount(), unacked.size());
            creditReleased = true; // a bigger limit may let queues deliver now
        } else {
            // RabbitMQ 3.10: a per-consumer qos also clears an earlier channel-wide (global) limit
            consumerPrefetch = m.prefetchCount();
            channel.credit().setLimit(0, 0);
            creditReleased = true;
        }
        channel.send(new BasicQosOk());
    }

    void consume(BasicConsume m, AmqpQueue q) {
        String tag = m.consumerTag().isEmpty() ? VirtualHost.generateName("amq.ctag-") : m.consumerTag();
        if (consumers.containsKey(tag)) {
            throw ConnectionException.notAllowed("attempt to reuse consumer tag '" + tag + "'");
        }
        ChannelConsumer c = new ChannelConsumer(channel, tag, q, m.noAck(), m.exclusive(), consumerPrefetch,
                consumerPriority(m, q), m.arguments());
        addTo(q, c); // may refuse (exclusive use); delivers nothing until dispatch() below
        consumers.put(tag, c);
        consumedQueues = null;
        if (!m.noWait()) {
            channel.send(new BasicConsumeOk(tag));
        }
        c.queue().dispatch();
    }

    /**
     * Adds the consumer to {@code q}, or to the object that replaced it since the channel looked it
     * up (it refuses consumers once replaced): the queue is the same, only the object serving it
     * changed, so the consume must not fail with 404.
     */
    static void addTo(AmqpQueue q, ChannelConsumer c) {
        for (AmqpQueue target = q; ; ) {
            c.queue(target);
            try {
                target.addConsumer(c);
                return;
            } catch (ChannelException e) {
                AmqpQueue next = target.replacement();
                if (next == null) {
                    throw e;
                }
                target = next;
            }
        }
    }

    /**
     * The object serving the queue of {@code c} was replaced ({@link ChannelConsumer#queueReplaced}):
     * the consumer moves to {@code replacement}, keeping its tag, qos credit and unacked deliveries
     * (which {@code old} still settles). A consumer cancelled or closed meanwhile stays gone; one the
     * replacement refuses (exclusive use taken meanwhile, or the queue deleted) gets basic.cancel.
     */
    void move(ChannelConsumer c, AmqpQueue old, AmqpQueue replacement) {
        if (consumers.get(c.tag()) != c || !c.isActive() || c.queue() != old) {
            return;
        }
        consumedQueues = null;
        try {
            addTo(replacement, c);
        } catch (ChannelException e) {
            LOG.info("consumer '{}' of {} on channel {}: not taken by the queue's new server here ({}); cancelled",
                    c.tag(), old, channel.id(), e.replyText());
            old.removeConsumer(c); // gives up the place old kept for it (quorum queues' subscription order)
            cancelledByBroker(c);
            return;
        }
        c.queue().dispatch();
    }

    /** The x-priority consumer argument: an integer of any width, else 406 with RabbitMQ 3.10's text. */
    private static int consumerPriority(BasicConsume m, AmqpQueue q) {
        if (!m.arguments().containsKey("x-priority")) {
            return 0;
        }
        Object p = m.arguments().get("x-priority");
        Long v = QueueArguments.integerValue(p);
        if (v != null) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        throw ChannelException.preconditionFailed("invalid arg 'x-priority' for " + q + ": \"expected integer, got "
                + QueueArguments.typeName(p) + "\"");
    }

    void cancel(BasicCancel m) {
        ChannelConsumer c = consumers.remove(m.consumerTag());
        if (c != null) {
            consumedQueues = null;
            c.deactivate();
            c.queue().removeConsumer(c);
        }
        if (!m.noWait()) {
            channel.send(new BasicCancelOk(m.consumerTag()));
        }
    }

    /** The queue went away: drop the consumer and tell the client (consumer_cancel_notify). */
    void cancelledByBroker(ChannelConsumer c) {
        if (consumers.remove(c.tag(), c)) {
            consumedQueues = null;
            c.deactivate();
            channel.send(new BasicCancel(c.tag(), true));
            channel.connection().flush();
        }
    }

    void get(BasicGet m, AmqpQueue q) {
        java.util.concurrent.CompletableFuture<QueueEntry> found = q.getLater(m.noAck());
        if (found.isDone()) {
            got(m, q, found.join()); // a queue of this node: answered at once
        } else {
            channel.afterAnswer(found, m, e -> got(m, q, e));
        }
    }

    private void got(BasicGet m, AmqpQueue q, QueueEntry e) {
        if (e == null) {
            channel.connection().broker().counters().getEmpty();
            channel.send(new BasicGetEmpty());
            return;
        }
        channel.connection().broker().counters().got(m.noAck(), e.redelivered());
        long tag = ++deliveryTag;
        if (!m.noAck()) {
            unacked.add(new Delivery(tag, q, e, null));
        }
        if (channel.connection().vhost().tracing()) {
            Firehose.delivered(channel, q, e);
        }
        Message msg = e.message();
        BasicGetOk ok = new BasicGetOk(tag, e.redelivered(), msg.exchange(), msg.routingKey(), q.readyCount());
        channel.writeContent(ok, msg, e.settleAfterRead() ? () -> q.settleAfterRead(e) : null);
    }

    /**
     * Called on this channel's loop with an entry queue object {@code q} reserved for {@code c}; that
     * object settles it (the consumer may have moved to another since, see {@link #move}).
     */
    void deliver(ChannelConsumer c, AmqpQueue q, QueueEntry e) {
        int cost = io.warren.broker.net.DeliveryWindow.cost(e.message().bodySize());
        if (!c.isActive() || !channel.isOpen()) {
            // cancelled or closed while the hand-over was in flight: give the message back
            if (!c.noAck()) {
                c.release();
                q.requeue(List.of(e));
            } else if (e.settleAfterRead()) {
                q.settleAfterRead(e); // gone with the consumer, as a no-ack delivery goes
            }
            channel.deliveryWritten(cost);
            return;
        }
        long tag = ++deliveryTag;
        if (!c.noAck()) {
            unacked.add(new Delivery(tag, q, e, c));
        }
        channel.connection().broker().counters().delivered(c.noAck(), e.redelivered());
        Message msg = e.message();
        if (channel.connection().vhost().tracing()) {
            Firehose.delivered(channel, q, e);
        }
        BasicDeliver deliver = new BasicDeliver(c.tag(), tag, e.redelivered(), msg.exchange(), msg.routingKey());
        if (e.settleAfterRead()) {
            channel.writeContent(deliver, msg, () -> {
                q.settleAfterRead(e);
                channel.deliveryWritten(cost);
            });
        } else if (channel.writeContentNow(deliver, msg)) {
            channel.deliveryWritten(cost); // the usual case: nothing allocated for the window
        } else {
            channel.enqueueContent(deliver, msg, () -> channel.deliveryWritten(cost));
        }
    }

    void ack(BasicAck m) {
        settle(m.deliveryTag(), m.multiple(), false, true);
    }

    void reject(BasicReject m) {
        settle(m.deliveryTag(), false, m.requeue(), false);
    }

    void nack(BasicNack m) {
        settle(m.deliveryTag(), m.multiple(), m.requeue(), false);
    }

    /**
     * Settles one delivery or (multiple) every delivery up to the tag; tag 0 with multiple means
     * all. An unknown tag is 406, as RabbitMQ answers it.
     */
    private void settle(long tag, boolean multiple, boolean requeue, boolean ack) {
        List<Delivery> done = new ArrayList<>();
        if (multiple) {
            // like rabbit_channel:collect_acks, the tag itself must be outstanding (0 means all)
            if (tag != 0 && !unacked.contains(tag)) {
                throw unknownTag(tag);
            }
            unacked.removeUpTo(tag == 0 ? Long.MAX_VALUE : tag, done::add);
        } else {
            Delivery d = unacked.remove(tag);
            if (d == null) {
                throw unknownTag(tag);
            }
            done.add(d);
        }
        if (ack) {
            channel.connection().broker().counters().acked(done.size());
        }
        Transaction tx = channel.transaction();
        if (tx != null) {
            tx.settle(done, requeue, !ack); // applied at tx.commit
        } else {
            apply(done, requeue, !ack);
        }
    }

    /** {@code rejected}: a reject or nack; without requeue the queue dead-letters the messages. */
    void apply(List<Delivery> done, boolean requeue, boolean rejected) {
        if (requeue) {
            eachQueue(releaseByQueue(done), AmqpQueue::requeueNacked);
        } else {
            discard(done, rejected);
        }
    }

    /** tx.rollback: settlements that never happened put their deliveries back as unacked. */
    void restoreUnacked(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        List<Delivery> all = new ArrayList<>(unacked.drain());
        all.addAll(deliveries);
        all.sort(java.util.Comparator.comparingLong(Delivery::tag));
        all.forEach(unacked::add);
    }

    private static ChannelException unknownTag(long tag) {
        return ChannelException.preconditionFailed("unknown delivery tag " + tag);
    }

    private void discard(List<Delivery> done, boolean rejected) {
        if (rejected) {
            reject(done);
            return;
        }
        // acks settle per queue in runs: one call (and for durable queues one store record) per run
        AmqpQueue last = null;
        List<QueueEntry> run = new ArrayList<>();
        for (Delivery d : done) {
            if (d.consumer() != null) {
                d.consumer().release();
                creditReleased = true;
            }
            if (d.queue() != last) {
                if (last != null) {
                    settleRun(last, run);
                }
                last = d.queue();
                run = new ArrayList<>();
            }
            run.add(d.entry());
        }
        if (last != null) {
            settleRun(last, run);
        }
    }

    private static void settleRun(AmqpQueue q, List<QueueEntry> run) {
        q.settle(run);
    }

    /** Rejected without requeue: each queue settles them and dead-letters them if it has a DLX. */
    private void reject(List<Delivery> done) {
        eachQueue(releaseByQueue(done), AmqpQueue::reject);
    }

    /**
     * Applies a client's settlement to each queue; if a queue refuses it (a stream refuses nack and
     * reject), the others still get theirs before the refusal closes the connection, so none of their
     * messages stays out for acknowledgement forever.
     */
    private static void eachQueue(Map<AmqpQueue, List<QueueEntry>> byQueue,
                                  java.util.function.BiConsumer<AmqpQueue, List<QueueEntry>> op) {
        io.warren.broker.error.AmqpException refused = null;
        for (Map.Entry<AmqpQueue, List<QueueEntry>> e : byQueue.entrySet()) {
            try {
                op.accept(e.getKey(), e.getValue());
            } catch (io.warren.broker.error.AmqpException ex) {
                refused = refused == null ? ex : refused;
            }
        }
        if (refused != null) {
            throw refused;
        }
    }

    /** Back to their queues, at their original positions, in tag order per queue (close, recover). */
    private void requeue(List<Delivery> done) {
        releaseByQueue(done).forEach(AmqpQueue::requeue);
    }

    /** Gives the consumers their credit back and groups the entries by queue, keeping tag order. */
    private Map<AmqpQueue, List<QueueEntry>> releaseByQueue(List<Delivery> done) {
        Map<AmqpQueue, List<QueueEntry>> byQueue = new LinkedHashMap<>();
        for (Delivery d : done) {
            if (d.consumer() != null) {
                d.consumer().release();
                creditReleased = true;
            }
            byQueue.computeIfAbsent(d.queue(), k -> new ArrayList<>()).add(d.entry());
        }
        return byQueue;
    }

    /** basic.recover(requeue=true): every unacked delivery goes back to its queue. */
    void recover(boolean requeue) {
        if (!requeue) {
            throw ConnectionException.notImplemented("requeue=false");
        }
        requeue(unacked.drain());
    }

    /** End of a read batch: if credit came back, let the queues deliver again. */
    void endOfReadBatch() {
        if (creditReleased) {
            creditReleased = false;
            resumeAll();
        }
    }

    /**
     * Lets every queue this channel consumes from deliver again. Each queue takes all the credit it
     * can, so the first one asked could starve the others under a channel-wide limit with backlogs
     * everywhere: the queue asked first moves on by one each time (RabbitMQ's limiter resumes its
     * queues starting at a random one), and freed credit reaches every queue in turn.
     */
    void resumeAll() {
        if (consumedQueues == null) {
            consumedQueues = consumers.values().stream().map(ChannelConsumer::queue).distinct().toList();
        }
        List<AmqpQueue> queues = consumedQueues;
        int n = queues.size();
        if (n == 0) {
            return;
        }
        int first = Math.floorMod(resumeTurn++, n);
        for (int i = 0; i < n; i++) {
            queues.get((first + i) % n).dispatch();
        }
    }

    /** Channel closing: cancel consumers, requeue everything unacked. */
    void release() {
        for (ChannelConsumer c : consumers.values()) {
            c.deactivate();
            c.queue().removeConsumer(c);
        }
        consumers.clear();
        consumedQueues = null;
        requeue(unacked.drain());
    }
}
