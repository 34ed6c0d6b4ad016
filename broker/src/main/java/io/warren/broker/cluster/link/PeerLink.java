package io.warren.broker.cluster.link;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.warren.broker.error.ChannelException;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * One authenticated link to another node, both ways: as the <em>proxy</em> side it sends this
 * node's requests for queues homed there (publish, get, consume, settle, purge) and receives their
 * answers and deliveries; as the <em>home</em> side ({@link HomeSession}) it serves the other
 * node's requests for queues homed here. When the link closes, requests still waiting fail with
 * RabbitMQ's "home node ... is down or inaccessible", consumers through it are cancelled, and the
 * home side puts back what it had delivered over it and not yet had settled.
 */
public final class PeerLink extends SimpleChannelInboundHandler<LinkMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

    private final NodeLinks links;
    private final String node;
    private final Channel channel;
    private final HomeSession home;
    private final AtomicLong nextCorr = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextConsumer = new AtomicLong();
    private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final java.util.Queue<LinkMessage> outbox = io.netty.util.internal.PlatformDependent.newMpscQueue();
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final PagedBodyOrder ordered;
    private final java.util.Set<RemoteQueue> heldByFullLink = ConcurrentHashMap.newKeySet();
    private final AtomicLong publishesSent = new AtomicLong();
    private volatile long publishesTaken; // as the home last reported
    private boolean wrote; // loop-only: whether this drain wrote anything to flush
    private final java.util.function.Consumer<LinkMessage> writer = this::write;

    /** A request awaiting its answer; {@code queue} names what fails if the link goes down first. */
    private record Pending(CompletableFuture<LinkMessage> answer, AmqpQueue queue) {
    }

    /**
     * A consumer on this node of a queue homed at the other end; {@code ended} tells the queue's
     * proxy when the home or the link ended it. {@code linkLost}, when set, replaces the cancel
     * when the link goes (a quorum queue's consumer is attached again at another member).
     */
    record Subscription(long id, AmqpQueue queue, QueueConsumer consumer, Runnable ended, Runnable linkLost) {
        void cancelledByBroker() {
            ended.run();
            consumer.cancelledByBroker(queue);
        }

        void lost() {
            if (linkLost != null) {
                linkLost.run();
            } else {
                cancelledByBroker();
            }
        }
    }

    PeerLink(NodeLinks links, String node, Channel channel) {
        this.links = links;
        this.node = node;
        this.channel = channel;
        this.home = new HomeSession(links.state(), this);
        this.ordered = new PagedBodyOrder(channel.eventLoop(), this::drain);
    }

    public String node() {
        return node;
    }

    SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    Channel channel() {
        return channel;
    }

    /**
     * Sends from any thread, in the order of the calls: messages queue up and one task on the link's
     * loop writes them all with one flush, so a busy channel or queue costs the link one wake-up
     * per batch rather than per message.
     */
    void send(LinkMessage m) {
        if (m instanceof LinkMessage.Publish) {
            publishesSent.incrementAndGet();
        }
        outbox.offer(m);
        if (channel.eventLoop().inEventLoop()) {
            drain();
        } else if (draining.compareAndSet(false, true)) {
            channel.eventLoop().execute(drainTask);
        }
    }

    private void drain() {
        draining.set(false);
        if (!channel.isActive()) {
            ordered.drop(home::undelivered);
        }
        for (LinkMessage m = outbox.poll(); m != null; m = outbox.poll()) {
            if (!channel.isActive()) {
                home.undelivered(m); // the link went: a delivery held for it goes back to its queue
                continue;
            }
            ordered.add(m, writer);
        }
        if (!ordered.writeReady(writer)) {
            channel.close(); // a body could not be read back: what the link held goes back to its queues
        }
        if (wrote) {
            wrote = false;
            channel.flush();
        }
    }

    private void write(LinkMessage m) {
        channel.write(m, channel.voidPromise());
        wrote = true;
    }

    /** Sends a request made with a fresh correlation id; the answer completes the future. */
    CompletableFuture<LinkMessage> request(AmqpQueue queue, LongFunction<LinkMessage> make) {
        long corr = nextCorr.incrementAndGet();
        CompletableFuture<LinkMessage> answer = new CompletableFuture<>();
        pending.put(corr, new Pending(answer, queue));
        send(make.apply(corr)); // a write that fails closes the link, and lost() fails what waits
        if (!channel.isActive()) {
            fail(corr); // closed before the listener was registered: lost() may have run already
        }
        return answer;
    }

    /**
     * The other node's figures for /api/nodes. The answer fails after {@code timeoutMillis} or when the
     * link goes (see {@link #requestWithin}).
     */
    public CompletableFuture<io.warren.management.model.NodeStats> stats(long timeoutMillis) {
        return requestWithin(timeoutMillis, LinkMessage.StatsRequest::new)
                .thenApply(m -> ((LinkMessage.Stats) m).stats());
    }

    /**
     * Completes once the other node applied the cluster's definitions log up to {@code index}; fails
     * after {@code timeoutMillis} or when the link goes.
     */
    public CompletableFuture<Void> applied(long index, long timeoutMillis) {
        return requestWithin(timeoutMillis, corr -> new LinkMessage.AppliedWait(corr, index)).thenApply(m -> null);
    }

    /**
     * A request whose answer fails after {@code timeoutMillis} (a timer on the link's loop, so nothing
     * waits on a loop and a node that does not answer leaves nothing behind) or when the link goes.
     */
    private CompletableFuture<LinkMessage> requestWithin(long timeoutMillis, LongFunction<LinkMessage> make) {
        long corr = nextCorr.incrementAndGet();
        CompletableFuture<LinkMessage> answer = new CompletableFuture<>();
        pending.put(corr, new Pending(answer, null));
        io.netty.util.concurrent.ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
            if (pending.remove(corr) != null) {
                answer.completeExceptionally(new java.util.concurrent.TimeoutException(
                        "node '" + node + "' did not answer within " + timeoutMillis + " ms"));
            }
        }, timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        answer.whenComplete((m, failure) -> timer.cancel(false));
        send(make.apply(corr));
        if (!channel.isActive()) {
            fail(corr);
        }
        return answer;
    }

    private void fail(long corr) {
        Pending p = pending.remove(corr);
        if (p != null) {
            p.answer().completeExceptionally(homeDown(node, p.queue()));
        }
    }

    /** RabbitMQ's error for a queue whose node cannot be reached. */
    public static ChannelException homeDown(String node, AmqpQueue q) {
        if (q == null) {
            return ChannelException.notFound("home node '" + node + "' is down or inaccessible");
        }
        return ChannelException.notFound("home node '" + node + "' of durable queue '" + q.name() + "' in vhost '"
                + q.vhost().name() + "' is down or inaccessible");
    }

    Subscription subscribe(AmqpQueue queue, QueueConsumer consumer, Runnable ended) {
        return subscribe(queue, consumer, ended, null);
    }

    Subscription subscribe(AmqpQueue queue, QueueConsumer consumer, Runnable ended, Runnable linkLost) {
        Subscription s = new Subscription(nextConsumer.incrementAndGet(), queue, consumer, ended, linkLost);
        subscriptions.put(s.id(), s);
        return s;
    }

    void unsubscribe(Subscription s) {
        unsubscribe(s, false);
    }

    /** {@code moving}: the consumer moves to another object of this node (see {@link AmqpQueue#detachConsumer}). */
    void unsubscribe(Subscription s, boolean moving) {
        if (subscriptions.remove(s.id(), s)) {
            send(new LinkMessage.Cancel(s.id(), moving));
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LinkMessage m) {
        if (m instanceof LinkMessage.Reply r) {
            answer(r.corr(), r);
        } else if (m instanceof LinkMessage.GotMessage g) {
            answer(g.corr(), g);
        } else if (m instanceof LinkMessage.Deliver d) {
            delivered(d);
        } else if (m instanceof LinkMessage.Cancelled c) {
            Subscription s = subscriptions.remove(c.consumer());
            if (s != null) {
                s.cancelledByBroker();
            }
        } else if (m instanceof LinkMessage.Publish p) {
            home.publish(p, ctx.executor());
        } else if (m instanceof LinkMessage.Get g) {
            home.get(g);
        } else if (m instanceof LinkMessage.Consume c) {
            home.consume(c);
        } else if (m instanceof LinkMessage.Settle s) {
            home.settle(s);
        } else if (m instanceof LinkMessage.Cancel c) {
            home.cancel(c.consumer(), c.moving());
        } else if (m instanceof LinkMessage.Purge p) {
            home.purge(p);
        } else if (m instanceof LinkMessage.StatsRequest r) {
            send(new LinkMessage.Stats(r.corr(), links.localStats())); // cheap reads, no blocking: fine on the loop
        } else if (m instanceof LinkMessage.Stats s) {
            answer(s.corr(), s);
        } else if (m instanceof LinkMessage.CountsRequest c) {
            home.counts(c);
        } else if (m instanceof LinkMessage.Credit c) {
            publishesTaken = c.taken();
            if (!heldByFullLink.isEmpty() && drained()) {
                releaseHeldPublishers();
            }
        } else if (m instanceof LinkMessage.Flow f) {
            links.flowReported(node, f);
        } else if (m instanceof LinkMessage.AppliedWait w) {
            // answered from the applier's thread when it gets there; a node that never does (a new log)
            // leaves the asker to its own timeout
            links.awaitApplied(w.index()).thenRun(() -> send(new LinkMessage.Reply(w.corr(), 0, "", w.index())));
        } else if (m instanceof LinkMessage.DirectReply r) {
            // only this node's own channels: a reply is never forwarded twice; one whose channel is gone is dropped
            links.state().replyAddresses().deliverLocally(r.message());
        } else if (m instanceof LinkMessage.ReplyAddressCheck c) {
            boolean here = links.state().replyAddresses().isLocal(c.address());
            send(new LinkMessage.Reply(c.corr(), 0, "", here ? 1 : 0));
        } else {
            throw new IllegalArgumentException("unexpected " + m.getClass().getSimpleName() + " on a link");
        }
    }

    private void answer(long corr, LinkMessage m) {
        Pending p = pending.remove(corr);
        if (p != null) {
            p.answer().complete(m);
        }
    }

    /** A delivery for a consumer here; one cancelled meanwhile gives the message back. */
    private void delivered(LinkMessage.Deliver d) {
        Subscription s = subscriptions.get(d.consumer());
        if (s == null) {
            send(new LinkMessage.Settle(LinkMessage.Settlement.REQUEUE, new long[] {d.id()}));
            return;
        }
        s.consumer().deliver(s.queue(), QueueEntry.remote(d.message(), d.id(), d.redelivered()));
    }

    /**
     * Publishes this link may carry that the home has not taken yet. Beyond it, publishers to queues behind
     * the link hold back (credit flow, as RabbitMQ's between its processes) until the home caught up to half
     * of it: otherwise a publisher faster than the home fills this node's buffers and the sockets' (several
     * MB, far more than the home's queue congestion could ever hold back in time).
     */
    static final int PUBLISH_WINDOW = 2000;
    /** The home reports what it took every this many publishes. */
    static final int CREDIT_EVERY = 200;

    /**
     * After a publish to {@code q} went into this link: while the link carries more than
     * {@link #PUBLISH_WINDOW} publishes the home has not taken, or its socket is full (large messages),
     * the publishers to {@code q} hold back until it drained.
     */
    void holdPublishersIfFull(RemoteQueue q) {
        if ((!channel.isWritable() || publishesSent.get() - publishesTaken > PUBLISH_WINDOW) && heldByFullLink.add(q)) {
            q.linkFull(true);
            if (drained()) {
                releaseHeldPublishers(); // drained meanwhile: the loop's release may have run before the add
            }
        }
    }

    private boolean drained() {
        return !channel.isActive() || channel.isWritable() && publishesSent.get() - publishesTaken <= PUBLISH_WINDOW / 2;
    }

    private void releaseHeldPublishers() {
        for (RemoteQueue q : heldByFullLink) {
            if (heldByFullLink.remove(q)) {
                q.linkFull(false);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            home.resume();
            if (drained()) {
                releaseHeldPublishers();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        lost();
        ctx.fireChannelInactive();
    }

    private void lost() {
        links.down(this);
        links.flowLost(node);
        pending.keySet().forEach(this::fail);
        for (Subscription s : subscriptions.values()) {
            if (subscriptions.remove(s.id(), s)) {
                s.lost();
            }
        }
        ordered.drop(home::undelivered);
        releaseHeldPublishers();
        home.lost();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("cluster link to node '{}' closed: {}", node, cause.toString());
        ctx.close();
    }

    void close() {
        channel.close();
    }
}
