package io.warren.broker.model;

import io.warren.broker.error.ChannelException;
import io.warren.broker.quorum.QuorumDeclaration;
import io.warren.broker.quorum.QuorumMessageCodec;
import io.warren.broker.quorum.QuorumNode;
import io.warren.broker.quorum.QuorumRelay;
import io.warren.cluster.ClusterPeer;
import io.warren.cluster.quorum.QueueCommand;
import io.warren.cluster.quorum.QueueLimits;
import io.warren.cluster.quorum.QuorumQueues;
import io.warren.cluster.quorum.QuorumStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A quorum queue ({@code x-queue-type: quorum}): its messages and who holds them live in a Raft
 * group (one per queue, see {@code io.warren.cluster.quorum}); this object is the node's door to
 * it. Every publish, consume, ack, nack and get is a command in the group's log; a publisher's
 * confirm goes out once a majority has the message on disk. Which consumer gets which message is
 * decided when the log is applied, the same on every member; {@link QuorumDeliveries} hands this
 * node's share to its consumers, reading bodies back from the local log.
 *
 * <p>Message TTL, x-expires, consumer priorities and single active consumer are decided in the
 * group's state from the leader's clock stamped on each command; {@link QuorumTicker} makes the
 * leader's node tick when a head message or the queue itself is due to expire.
 *
 * <p>On a node that holds no member of the group this object submits publishes and purges to the
 * group as a Raft client (confirmed after the majority's commit, retried by Ratis across leader
 * changes and applied once) and asks the leader for counts; consumers and basic.get go through a
 * member over the node-to-node link ({@link QuorumRelay}), as only members hold the bodies.
 */
public final class QuorumQueue extends DeclaredQueue {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumQueue.class);
    /** Deliveries the group assigns ahead to a consumer without a prefetch limit (or a no-ack one). */
    private static final int UNLIMITED_WINDOW = 1000;

    private final QueueArguments args;
    private final QuorumNode node;
    private final UUID id;
    /** The group's members as the cluster's log records them (add_member / delete_member change them). */
    private volatile List<ClusterPeer> members;
    private final CompletableFuture<Void> ready;
    private final QuorumSubmitter submitter;
    private final QuorumDeliveries deliveries;
    private final String getKey;
    private final AtomicLong published = new AtomicLong();
    /** Whether this node holds a member of the group; if not, see {@link #relay()}. */
    private final boolean member;
    private final java.util.concurrent.atomic.AtomicReference<QuorumRelay> relay = new java.util.concurrent.atomic.AtomicReference<>();
    /** A node without a member: the counts, as the group's leader gives them. */
    private final LeaderCounts leaderCounts;
    private volatile Policy policy;
    private volatile EffectiveQueueSettings effective;
    private volatile boolean deleted;
    /** Another object serves the queue here now ({@link #useMembers}); publishes routed here still go. */
    private volatile boolean replaced;
    /** The object made to take this one's place (set before {@link #replaced}). */
    private volatile QuorumQueue successor;
    /** How long this node waits for its deletion of an expired queue before it asks again. */
    private static final long EXPIRY_RETRY_MILLIS = 30_000;
    /** When this node last asked for the queue's deletion after its x-expires ran out (0: never). */
    private final AtomicLong expiryAskedAt = new AtomicLong();
    private final QuorumTicker ticker;

    /**
     * @param predecessor the ready of the object this one replaces when the cluster's log changed this
     *                    node's role (it released what an earlier run of this node left in the group),
     *                    or null for a queue declared or recovered from disk
     */
    private QuorumQueue(QuorumNode node, VirtualHost vhost, String name, Map<String, Object> arguments,
                        QueueArguments args, Policy policy, CompletableFuture<Void> predecessor) {
        super(vhost, name, true, false, false, arguments, null); // durable only, never exclusive or auto-delete
        this.node = node;
        this.args = args;
        this.policy = policy;
        this.effective = EffectiveQueueSettings.of(args, arguments, policy);
        this.id = QuorumNode.groupId(vhost.name(), name);
        this.members = node.membersFor(vhost.name(), name, initialGroupSize(arguments), leaderLocator());
        this.member = node.isMember(members);
        this.leaderCounts = new LeaderCounts(node.queues(), id);
        this.getKey = node.newConsumerKey("basic.get");
        this.submitter = new QuorumSubmitter(node.queues(), id, node.nodeName(), this);
        this.deliveries = new QuorumDeliveries(this, node, id);
        this.ticker = new QuorumTicker(this, node, id);
        this.ready = new QuorumGroupStart(this, node, id, members, member).start(deliveries, ticker, predecessor);
        submitter.start(ready);
    }

    /** The factory for {@link QueueTypes}: RabbitMQ's checks, in its order, then the group starts. */
    public static QueueTypes.Factory factory(QuorumNode node) {
        return (vhost, name, durable, exclusive, autoDelete, arguments, owner, policy) -> {
            String what = "queue '" + name + "' in vhost '" + vhost.name() + "'";
            // VirtualHost names server-named queues amq.gen-*, a prefix clients may not declare
            QuorumDeclaration.checkName(name.startsWith("amq.gen-") ? "" : name);
            Map<String, Object> args = arguments == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
            QueueArguments parsed = QueueArguments.parse(args, what);
            QuorumDeclaration.check(durable, exclusive, autoDelete, args, what);
            return new QuorumQueue(node, vhost, name, args, parsed, policy, null);
        };
    }

    private static int initialGroupSize(Map<String, Object> args) {
        Long n = QueueArguments.integerValue(args.get("x-quorum-initial-group-size"));
        return n == null ? 0 : (int) Math.min(Integer.MAX_VALUE, n);
    }

    /** x-quorum-initial-group-size, 0 when not given. */
    public int initialGroupSize() {
        return initialGroupSize(arguments);
    }

    /** x-queue-leader-locator, else the queue-leader-locator policy key, as the queue was declared. */
    public io.warren.broker.quorum.LeaderLocator leaderLocator() {
        Object given = arguments.get("x-queue-leader-locator");
        if (given == null && policy != null) {
            given = policy.definition().get("queue-leader-locator");
        }
        return io.warren.broker.quorum.LeaderLocator.of(given);
    }

    /** The members' node names, the intended leader first. */
    public List<String> memberNames() {
        List<String> out = new ArrayList<>();
        members.forEach(p -> out.add(p.name()));
        return out;
    }

    /**
     * The cluster's log recorded new members (add_member, delete_member, or the members of a queue
     * recovered from disk before the log was replayed). Runs on the log's apply thread: nothing here
     * blocks. Whether this node holds a member is fixed for this object (it serves consumers itself
     * or relays them to a member); when the record changes that, a new object takes this one's place
     * (bindings kept, nothing deleted) and this node's consumers of the queue move to it unseen by
     * their clients; what they were handed is settled as {@link #markReplaced} says.
     */
    public void useMembers(List<ClusterPeer> next) {
        if (deleted || replaced || members.equals(next)) {
            return;
        }
        boolean is = node.isMember(next);
        if (is == member) {
            members = next;
            node.queues().bind(id, next);
        } else {
            LOG.info("{}: node {} {} a member of its group now; its consumers here move to {}", this,
                    node.nodeName(), is ? "is" : "is no longer", is ? "its replica" : "another member");
            successor = new QuorumQueue(node, vhost, name, arguments, args, policy, ready);
            vhost.replaceQueue(this, successor);
        }
        if (member && !is) {
            node.leaveLater(vhost.name(), name, id);
        }
    }

    /** The replicated limits (see {@link QuorumLimits}). */
    QueueLimits limits() {
        return QuorumLimits.of(effective, arguments, policy, args.singleActiveConsumer(), this);
    }

    /**
     * This node holds no member: consumers and basic.get go through a member (made at first use,
     * as a queue recovered from disk is made before the node's cluster links exist).
     */
    private QuorumRelay relay() {
        QuorumRelay r = relay.get();
        if (r == null) {
            relay.compareAndSet(null, node.relay(this, this::memberNames, () -> node.queues().knownLeader(id)));
            r = relay.get();
        }
        return r;
    }

    CompletableFuture<long[]> submit(QueueCommand command) {
        return submitter.submit(command);
    }

    private void submitQuietly(QueueCommand command) {
        submitter.submitQuietly(command);
    }

    DeadLetterer deadLetterer() {
        EffectiveQueueSettings s = effective;
        return s.deadLetterExchange() == null ? null
                : new DeadLetterer(vhost, name, s.deadLetterExchange(), s.deadLetterRoutingKey());
    }

    // ---- identity ------------------------------------------------------------------------

    @Override
    public QueueType type() {
        return QueueType.QUORUM;
    }

    @Override
    public boolean isDeleted() {
        return deleted || replaced;
    }

    /**
     * The group's state as this node's replica sees it, with leader and members (for /api/queues).
     * A node without a member shows the leader's counts as last asked and the leader it last talked to.
     */
    public QuorumStatus status() {
        if (member) {
            return node.queues().status(id);
        }
        long[] c = leaderCounts.lastKnown();
        String leader = node.queues().knownLeader(id);
        return new QuorumStatus(c[0], c[1], c[2], (int) c[3], leader,
                members.stream().map(ClusterPeer::name).toList(), leader == null ? List.of() : List.of(leader));
    }

    /** A node without a member asks the group's leader (declare-ok must show the real counts). */
    @Override
    public CompletableFuture<int[]> countsLater() {
        if (member) {
            return null;
        }
        return leaderCounts.forDeclare();
    }

    /** RabbitMQ's quorum queue fields: the leader (also as node), members and online members. */
    @Override
    public Map<String, Object> managementDetails() {
        QuorumStatus s = status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leader", s.leader());
        // a node without a replica knows the members from the cluster's log
        m.put("members", s.members().isEmpty() ? memberNames() : s.members());
        m.put("online", s.online());
        if (s.leader() != null) {
            m.put("node", s.leader());
        }
        return m;
    }

    // ---- publishing ----------------------------------------------------------------------

    @Override
    public boolean enqueue(Message message, ConfirmWait confirm) {
        if (deleted) {
            return false;
        }
        Consumer<Throwable> written = confirm == null ? null : confirm.awaitWrite();
        byte[] content = QuorumMessageCodec.encode(message);
        if (content.length > QuorumQueues.MAX_MESSAGE_BYTES) { // refused at once, not timed out in the Raft log
            LOG.info("{}: a message of {} bytes refused: a quorum queue takes messages up to {} bytes", this,
                    content.length, QuorumQueues.MAX_MESSAGE_BYTES);
            if (written != null) {
                written.accept(new IllegalStateException("message too large for a quorum queue")); // basic.nack
            }
            return true;
        }
        published.incrementAndGet();
        long ttl = MessageExpiry.messageTtl(message); // counted from the leader's stamp on the command
        submitter.publish(message.bodySize(), content, ttl).whenComplete((reply, failure) -> {
            Throwable refusal = failure != null ? cause(failure)
                    : reply.length > 0 && reply[0] == 0 ? new IllegalStateException("x-overflow: queue is full") : null;
            if (failure != null) { // the submitter logged it once for its batch
                LOG.debug("{}: publish not committed: {}", this, refusal.getMessage());
            }
            if (written != null) {
                written.accept(refusal); // basic.ack once a majority stored it, basic.nack if refused
            }
        });
        return true;
    }

    // ---- consuming -----------------------------------------------------------------------

    /**
     * Once replaced (or deleted) this object takes no consumer: the channel then adds it to the
     * {@link #replacement}. A consumer added while {@link #markReplaced} ran is taken back (markReplaced
     * sets the flag before it lists the consumers, this adds before it reads the flag: one sees the other).
     */
    @Override
    public void addConsumer(QueueConsumer consumer) {
        if (deleted || replaced) {
            throw ChannelException.noQueue(name, vhost.name());
        }
        if (!member) {
            relay().addConsumer(consumer);
        } else if (!deliveries.add(consumer)) {
            throw ChannelException.accessRefused("queue '" + name + "' in vhost '" + vhost.name() + "' in exclusive use");
        }
        if (deleted || replaced) {
            removeConsumer(consumer);
            throw ChannelException.noQueue(name, vhost.name());
        }
    }

    @Override
    public AmqpQueue replacement() {
        return replaced ? successor : null;
    }

    /** The credit the group gives a consumer: its prefetch, or a window for unlimited and no-ack ones. */
    static int window(QueueConsumer c) {
        return c.noAck() || c.prefetch() <= 0 ? UNLIMITED_WINDOW : c.prefetch();
    }

    /** {@code place}: the consumer's {@link QueueConsumer#place}, under which it keeps its place across moves. */
    void checkout(String key, int window, int priority, String place) {
        submitQuietly(new QueueCommand.Checkout(key, window, priority, place));
    }

    /**
     * As /api/consumers shows it in RabbitMQ 3.10: "up" without single active consumer; else
     * "single_active" for the one that receives and "waiting" for the others.
     */
    @Override
    public String consumerActivity(QueueConsumer consumer) {
        if (!args.singleActiveConsumer()) {
            return "up";
        }
        String key = deliveries.keyOf(consumer);
        return key != null && key.equals(node.queues().timers(id).singleActiveConsumer()) ? "single_active" : "waiting";
    }

    /** Tick: the leader's clock passed a due time (see {@link QuorumTicker}). */
    CompletableFuture<long[]> tick() {
        return submit(new QueueCommand.Tick());
    }

    /** Whether this node asked for the queue's deletion (because it expired unused) and waits for it. */
    boolean expiring() {
        long asked = expiryAskedAt.get();
        return asked != 0 && System.currentTimeMillis() - asked < EXPIRY_RETRY_MILLIS;
    }

    /**
     * The group says the queue was unused for its x-expires: this node leads, it deletes it
     * (everywhere, through the cluster's log in a cluster). Asked once; again only if the queue is
     * still there {@link #EXPIRY_RETRY_MILLIS} later (the deletion was not committed).
     */
    void expiredUnused() {
        long asked = expiryAskedAt.get();
        if (deleted || replaced || expiring() || !expiryAskedAt.compareAndSet(asked, System.currentTimeMillis())) {
            return;
        }
        LOG.info("{} expired: unused for {} ms; deleting it", this, effective.expires());
        vhost.deleteUnusedQueue(this, false);
    }

    /** Messages the group assigned to a consumer of this node that is gone go back, uncounted. */
    void release(String key, long[] ids) {
        submitQuietly(new QueueCommand.Release(key, ids));
    }

    @Override
    public void removeConsumer(QueueConsumer consumer) {
        if (!member) {
            relay().removeConsumer(consumer);
            return;
        }
        QuorumDeliveries.Removed r = deliveries.remove(consumer);
        if (r == null) {
            return;
        }
        if (r.undelivered().length > 0) {
            submitQuietly(new QueueCommand.Release(r.key(), r.undelivered()));
        }
        submitQuietly(new QueueCommand.Cancel(r.key()));
    }

    /**
     * A consumer attached here from another node moves to another member, or to that node's own
     * replica (the node's role changed): detached keeping its place in the group's subscription order
     * for its next registration; what its client was handed is still settled through here.
     */
    @Override
    public void detachConsumer(QueueConsumer consumer) {
        if (!member || !deliveries.detach(consumer, d -> submitQuietly(new QueueCommand.Detach(d.key(), d.kept(), true)))) {
            removeConsumer(consumer);
        }
    }

    @Override
    public void dispatch() {
        deliveries.drainSoon();
    }

    /**
     * basic.get: a round trip through the log. The channel does not wait for it: it answers when the
     * commit is applied (or after {@link QuorumCommitWait#COMMIT_WAIT_MILLIS} with 541), and the body is read back from
     * the log off the event loop.
     */
    @Override
    public CompletableFuture<QueueEntry> getLater(boolean noAck) {
        if (!member) {
            QuorumRelay r = relay();
            return r.get(noAck).thenApply(e -> {
                leaderCounts.ready(r.lastRemaining()); // basic.get-ok's count
                return e;
            });
        }
        // taken unsettled even for no-ack, and settled once the body was read: a settled message's log
        // entry may be compacted away (snapshot and purge) before this node reads it back
        return QuorumCommitWait.committed(this, submit(new QueueCommand.Dequeue(getKey, false))).thenApply(r -> taken(r, noAck));
    }

    /** basic.get for a caller that may wait (the management API's workers). */
    @Override
    public QueueEntry get(boolean noAck) {
        return QuorumCommitWait.await(getLater(noAck));
    }

    private QueueEntry taken(long[] r, boolean noAck) {
        if (r.length < 3 || r[0] < 0) {
            return null;
        }
        QueueEntry e = deliveries.entry(r[0], (int) r[1], true);
        if (noAck) {
            submitQuietly(new QueueCommand.Settle(getKey, new long[]{r[0]}));
        } else if (e != null) {
            deliveries.held(r[0], getKey);
        }
        return e;
    }

    // ---- settling ------------------------------------------------------------------------

    @Override
    public void settle(List<QueueEntry> entries) {
        if (!member) {
            relay().settle(entries, QuorumRelay.Settlement.ACK);
            return;
        }
        deliveries.settle(entries, (key, ids) -> submitQuietly(new QueueCommand.Settle(key, ids)));
    }

    @Override
    public void reject(List<QueueEntry> entries) {
        if (!member) {
            relay().settle(entries, QuorumRelay.Settlement.REJECT);
            return;
        }
        deliveries.settle(entries, (key, ids) -> submitQuietly(new QueueCommand.Discard(key, ids)));
    }

    @Override
    public void requeue(Collection<QueueEntry> entries) {
        if (!member) {
            relay().settle(entries, QuorumRelay.Settlement.REQUEUE);
            return;
        }
        deliveries.settle(entries, (key, ids) -> submitQuietly(new QueueCommand.Return(key, ids)));
    }

    @Override
    public void settleAfterRead(QueueEntry entry) {
        // bodies live in the Raft log: nothing waits for a read
    }

    // ---- management ----------------------------------------------------------------------

    @Override
    public CompletableFuture<Integer> purgeLater() {
        return QuorumCommitWait.committed(this, submit(new QueueCommand.Purge())).thenApply(r -> r.length > 0 ? (int) r[0] : 0);
    }

    @Override
    public int purge() {
        return QuorumCommitWait.await(purgeLater());
    }

    /**
     * Unlike a classic queue's, a quorum queue's x-expires is not reset by a declare (passive or
     * not): RabbitMQ 3.10.8 deletes one that is only redeclared. Consumers and basic.get count.
     */
    @Override
    public void markUsed() {
    }

    @Override
    public int readyCount() {
        return (int) Math.min(Integer.MAX_VALUE, status().ready());
    }

    @Override
    public int unackedCount() {
        return (int) Math.min(Integer.MAX_VALUE, status().unacked());
    }

    /**
     * As queue.declare-ok counts them in RabbitMQ 3.10: with single active consumer only the active
     * one (the waiting ones still show in /api/queues' {@code consumers}, see {@link #stats}).
     */
    @Override
    public int consumerCount() {
        int n = status().consumers();
        return args.singleActiveConsumer() ? Math.min(1, n) : n;
    }

    @Override
    public QueueStats stats() {
        QuorumStatus s = status();
        return new QueueStats((int) Math.min(Integer.MAX_VALUE, s.ready()), (int) Math.min(Integer.MAX_VALUE, s.unacked()),
                s.consumers(), s.readyBytes(), published.get(), deliveries.delivered(), 0, 0);
    }

    @Override
    public Policy policy() {
        return policy;
    }

    /** A policy's length limits and delivery limit become a new Configure command in the log. */
    @Override
    public Runnable applyPolicy(Policy p) {
        policy = p;
        effective = EffectiveQueueSettings.of(args, arguments, p);
        QueueLimits limits = limits();
        return () -> submitQuietly(new QueueCommand.Configure(limits));
    }

    @Override
    public QueueJournal journal() {
        return QueueJournal.NONE;
    }

    @Override
    public void attachJournal(QueueJournal journal) {
        // messages live in the queue's Raft log, not in the broker's message store
    }

    @Override
    public DeleteResult markDeleted() {
        deleted = true;
        node.placement().remove(vhost.name(), name);
        ticker.stop();
        int count = readyCount();
        if (!member) {
            node.queues().forget(id); // the members remove the group
            return new DeleteResult(count, relay().clear());
        }
        List<QueueConsumer> consumers = deliveries.clear();
        ready.whenComplete((v, f) -> node.queues().removeLocal(id));
        return new DeleteResult(count, consumers);
    }

    /**
     * Another object serves the queue on this node now ({@link #useMembers}): this one takes no more
     * consumers, and its consumers move to the other (the caller moves them); the replica, the
     * recorded members and the group are kept. What a consumer was handed and has not settled stays
     * its own and is settled through this object, as RabbitMQ keeps a quorum queue's consumers across
     * membership changes. A node that gains a member: what its relayed consumers were handed stays
     * theirs at the member that delivered it. A node that lost its member: its replica left the group
     * and may not see what the group assigned to its consumers since, so each consumer is detached in
     * the group ({@link QueueCommand.Detach}), which returns all they hold but what their clients were
     * handed; their acks then settle those under the same name. Either way each consumer keeps its
     * place in the group's subscription order (single active consumer): its registration through the
     * replacement takes it over ({@link QueueConsumer#place}).
     */
    @Override
    public DeleteResult markReplaced() {
        replaced = true; // a publish routed here before the replacement is still submitted to the group
        ticker.stop();
        if (!member) {
            QuorumRelay r = relay.get();
            return new DeleteResult(0, r == null ? List.of() : r.detachAll());
        }
        // each keeps its place in the group's subscription order for its registration at the replacement
        return new DeleteResult(0, deliveries.detachAll(d -> submitQuietly(new QueueCommand.Detach(d.key(), d.kept(), true))));
    }

    static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public String toString() {
        return "queue '" + name + "' in vhost '" + vhost.name() + "'";
    }
}
