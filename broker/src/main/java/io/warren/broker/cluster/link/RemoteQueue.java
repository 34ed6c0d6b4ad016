package io.warren.broker.cluster.link;

import io.warren.broker.error.ChannelException;
import io.warren.broker.model.DeclaredQueue;
import io.warren.broker.model.ConfirmWait;
import io.warren.broker.model.Message;
import io.warren.broker.model.Policy;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;
import io.warren.broker.model.QueueJournal;
import io.warren.broker.model.QueueStats;
import io.warren.broker.model.QueueType;
import io.warren.broker.model.VirtualHost;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A classic queue that lives on another node, as this node's channels and routing see it: its
 * definition (name, flags, arguments, policy) is here, replicated like every definition; its
 * messages and its real consumers' bookkeeping are on its home node, and every message operation
 * goes there over the link. Publishes are confirmed once the home took (and, persistent to a
 * durable queue, stored) the message; consumers subscribe at the home and get its deliveries with
 * their prefetch; basic.get, acks, nacks and requeues are forwarded. While the home cannot be
 * reached, using the queue fails with RabbitMQ's 404 "home node ... is down or inaccessible".
 * The counts it reports are what this node knows (0, or the last basic.get's count).
 */
public final class RemoteQueue extends DeclaredQueue {
    /** How long a blocking caller (the management API's threads) waits for the home's answer. */
    private static final long BLOCKING_WAIT_MS = 5000;

    private final String home;
    private final Supplier<NodeLinks> links;
    private final Map<QueueConsumer, PeerLink.Subscription> subscriptions = new ConcurrentHashMap<>();
    private volatile Policy policy;
    private volatile boolean deleted;
    private volatile int lastKnownReady;
    private final io.warren.broker.model.QueueFlow flow = new io.warren.broker.model.QueueFlow();
    private boolean homeCongested; // both under flow's monitor
    private boolean linkFull;

    public RemoteQueue(VirtualHost vhost, String name, boolean durable, boolean autoDelete,
                       Map<String, Object> arguments, Policy policy, String home, Supplier<NodeLinks> links) {
        super(vhost, name, durable, false, autoDelete, arguments, null); // exclusive queues live on their connection's node
        this.policy = policy;
        this.home = home;
        this.links = links;
    }

    /** The node this queue lives on. */
    public String home() {
        return home;
    }

    /** The link to the home, or RabbitMQ's 404 while it is down. */
    private PeerLink link() {
        NodeLinks l = links.get();
        PeerLink link = l == null ? null : l.link(home);
        if (link == null) {
            throw PeerLink.homeDown(home, this);
        }
        return link;
    }

    /**
     * Credit flow: publishers on this node hold back while the home reports the queue congested (see
     * {@link HomeCongestion}) or while the link to the home is full (its messages would otherwise pile up
     * in this node's memory, unseen by the home's own credit flow).
     */
    @Override
    public io.warren.broker.model.QueueFlow flow() {
        return flow;
    }

    /** The home reported the queue congested or drained (the link's loop). */
    void homeReported(boolean congested) {
        synchronized (flow) {
            homeCongested = congested;
            flow.reported(homeCongested || linkFull);
        }
        flow.wakeIfClear();
    }

    /** The link to the home filled up (a publisher's loop) or drained again (the link's loop). */
    void linkFull(boolean full) {
        synchronized (flow) {
            linkFull = full;
            flow.reported(homeCongested || linkFull);
        }
        flow.wakeIfClear();
    }

    @Override
    public QueueType type() {
        return QueueType.CLASSIC;
    }

    @Override
    public boolean isDeleted() {
        return deleted;
    }

    /**
     * Sends the message to the home. Under confirms the publisher's confirm waits for the home's
     * answer; a home that refused it (x-overflow reject-publish) or cannot be reached nacks it.
     */
    @Override
    public boolean enqueue(Message message, ConfirmWait confirm) {
        NodeLinks l = links.get();
        PeerLink link = l == null ? null : l.link(home);
        if (confirm == null) {
            if (link != null) {
                link.send(new LinkMessage.Publish(0, false, vhost.name(), List.of(name), message));
                link.holdPublishersIfFull(this);
            }
            return true;
        }
        if (link == null) {
            return false; // nacked: the home cannot take it
        }
        java.util.function.Consumer<Throwable> done = confirm.awaitWrite();
        link.request(this, corr -> new LinkMessage.Publish(corr, true, vhost.name(), List.of(name), message))
                .whenComplete((r, failure) -> done.accept(failure != null ? failure
                        : ((LinkMessage.Reply) r).value() == 1 ? null : new IllegalStateException("refused by " + this)));
        link.holdPublishersIfFull(this);
        return true;
    }

    /**
     * queue.declare-ok's counts come from the home, as in RabbitMQ (apps read a queue's depth from a passive
     * declare); a home that cannot be reached fails the declare with RabbitMQ's 404.
     */
    @Override
    public CompletableFuture<int[]> countsLater() {
        return link().request(this, corr -> new LinkMessage.CountsRequest(corr, vhost.name(), name)).thenApply(m -> {
            LinkMessage.Reply r = (LinkMessage.Reply) m;
            if (r.code() != 0) {
                throw new java.util.concurrent.CompletionException(new ChannelException(r.code(), r.text()));
            }
            int ready = (int) (r.value() >>> 32);
            lastKnownReady = ready;
            return new int[] {ready, (int) r.value()};
        });
    }

    /**
     * Subscribes at the home; the home's refusal (e.g. exclusive use) reaches the client as a
     * basic.cancel, as the consume-ok has gone out by then.
     */
    @Override
    public void addConsumer(QueueConsumer consumer) {
        PeerLink link = link();
        PeerLink.Subscription s = link.subscribe(this, consumer, () -> subscriptions.remove(consumer));
        subscriptions.put(consumer, s);
        link.request(this, corr -> new LinkMessage.Consume(corr, s.id(), vhost.name(), name, consumer.tag(),
                consumer.noAck(), consumer.exclusive(), consumer.prefetch(), consumer.priority()))
                .whenComplete((r, failure) -> {
                    if (failure != null || ((LinkMessage.Reply) r).code() != 0) {
                        removeConsumer(consumer);
                        consumer.cancelledByBroker(this);
                    }
                });
    }

    @Override
    public void removeConsumer(QueueConsumer consumer) {
        PeerLink.Subscription s = subscriptions.remove(consumer);
        NodeLinks l = links.get();
        PeerLink link = l == null || s == null ? null : l.link(home);
        if (link != null) {
            link.unsubscribe(s);
        }
    }

    @Override
    public void dispatch() {
        // the home delivers: credit goes back to it with each settlement
    }

    @Override
    public QueueEntry get(boolean noAck) {
        return await(getLater(noAck));
    }

    @Override
    public CompletableFuture<QueueEntry> getLater(boolean noAck) {
        return link().request(this, corr -> new LinkMessage.Get(corr, vhost.name(), name, noAck)).thenApply(m -> {
            if (m instanceof LinkMessage.GotMessage g) {
                lastKnownReady = g.remaining();
                return QueueEntry.remote(g.message(), g.id(), g.redelivered());
            }
            check(m);
            lastKnownReady = 0;
            return null;
        });
    }

    @Override
    public void settle(List<QueueEntry> entries) {
        settle(entries, LinkMessage.Settlement.ACK);
    }

    @Override
    public void reject(List<QueueEntry> entries) {
        settle(entries, LinkMessage.Settlement.REJECT);
    }

    @Override
    public void requeue(Collection<QueueEntry> entries) {
        settle(entries, LinkMessage.Settlement.REQUEUE);
    }

    /** If the link went meanwhile there is nothing to do: the home put them back when it lost it. */
    private void settle(Collection<QueueEntry> entries, LinkMessage.Settlement kind) {
        NodeLinks l = links.get();
        PeerLink link = l == null ? null : l.link(home);
        if (link == null || entries.isEmpty()) {
            return;
        }
        long[] ids = new long[entries.size()];
        int i = 0;
        for (QueueEntry e : entries) {
            ids[i++] = e.seq(); // the id the home gave the delivery (QueueEntry.remote)
        }
        link.send(new LinkMessage.Settle(kind, ids));
    }

    @Override
    public void settleAfterRead(QueueEntry entry) {
        // the home settled its no-ack delivery when it sent it
    }

    @Override
    public int purge() {
        return await(purgeLater());
    }

    @Override
    public CompletableFuture<Integer> purgeLater() {
        return link().request(this, corr -> new LinkMessage.Purge(corr, vhost.name(), name))
                .thenApply(m -> (int) check(m).value());
    }

    /** A declare is a use: it fails while the home cannot be reached. */
    @Override
    public void markUsed() {
        link();
    }

    @Override
    public int readyCount() {
        return lastKnownReady;
    }

    @Override
    public int unackedCount() {
        return 0;
    }

    @Override
    public int consumerCount() {
        return subscriptions.size();
    }

    @Override
    public QueueStats stats() {
        return new QueueStats(lastKnownReady, 0, subscriptions.size(), 0, 0, 0, 0, 0);
    }

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    public Runnable applyPolicy(Policy p) {
        policy = p; // the home applies it to the messages
        return () -> { };
    }

    @Override
    public QueueJournal journal() {
        return QueueJournal.NONE;
    }

    @Override
    public void attachJournal(QueueJournal journal) {
        // the messages are stored on the home node
    }

    /** Deleted through the cluster: the home deletes the messages and cancels the consumers. */
    @Override
    public DeleteResult markDeleted() {
        deleted = true;
        Set<QueueConsumer> gone = subscriptions.keySet();
        List<QueueConsumer> consumers = List.copyOf(gone);
        consumers.forEach(this::removeConsumer);
        return new DeleteResult(0, consumers);
    }

    private static LinkMessage.Reply check(LinkMessage m) {
        LinkMessage.Reply r = (LinkMessage.Reply) m;
        if (r.code() != 0) {
            throw new ChannelException(r.code(), r.text());
        }
        return r;
    }

    /** For callers that may block (the management API's threads): the answer, or its AMQP error. */
    private static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.get(BLOCKING_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ChannelException(io.warren.codec.AmqpConstants.INTERNAL_ERROR,
                    "INTERNAL_ERROR - no answer from node within " + BLOCKING_WAIT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "queue '" + name + "' in vhost '" + vhost.name() + "'";
    }
}
