package io.warren.cluster.quorum;

import io.warren.cluster.ClusterUnavailableException;
import io.warren.cluster.CommitRetryPolicy;
import io.warren.cluster.RaftHost;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How this node's commands reach the quorum queue groups: one Raft client per group (it follows leader
 * changes and retries; Ratis' retry cache applies a retried command once), replaced when a request fails
 * for good; straight to this node's member when it leads ({@link LocalLeaderSubmit}); numbered publishes
 * and acks sent again through a new client when unanswered. Every send goes through one thread, which
 * keeps this node's commands to a group in the order they were submitted.
 */
final class GroupClients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupClients.class);

    /** A leader handing over its leadership refuses commands; they are sent again after this. */
    private static final long STEPPING_DOWN_RETRY_MILLIS = 20;
    /** A numbered publish with no answer after this long is sent again through a new client (see {@link #sendResending}). */
    private static final long RESEND_AFTER_MILLIS = 5000;
    /** How long the Ratis client waits for one request's answer before it tries another member. */
    private static final long REQUEST_TIMEOUT_SECONDS = 10;

    private final long commitTimeoutMillis;
    private final Supplier<RaftHost> host;
    /** The queue's members (known before, or without, a local replica). */
    private final Function<UUID, RaftGroup> groupOf;
    /** This node's replica of the queue, or null. */
    private final Function<UUID, QuorumStateMachine> machine;
    private final ExecutorService admin;
    private final Map<RaftGroupId, RaftClient> clients = new ConcurrentHashMap<>();
    // Ratis' async client blocks its caller once too many requests are outstanding (no majority):
    // submissions go through this thread so that an event loop never waits on it
    private final ExecutorService submitter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quorum-submit");
        t.setDaemon(true);
        return t;
    });
    /** Commands to a group this node leads skip the client (see {@link LocalLeaderSubmit}). */
    private final LocalLeaderSubmit local = new LocalLeaderSubmit();

    GroupClients(long commitTimeoutMillis, Supplier<RaftHost> host, Function<UUID, RaftGroup> groupOf,
                 Function<UUID, QuorumStateMachine> machine, ExecutorService admin) {
        this.commitTimeoutMillis = commitTimeoutMillis;
        this.host = host;
        this.groupOf = groupOf;
        this.machine = machine;
        this.admin = admin;
    }

    /** Takes the group's client away (its next command makes a new one); null if there was none. */
    RaftClient remove(RaftGroupId group) {
        return clients.remove(group);
    }

    /**
     * Replicates {@code command}: completes with its reply once a majority stored it (synced to
     * disk) and the leader applied it, or fails with {@link ClusterUnavailableException} when that
     * did not happen within the commit timeout. Never blocks the caller.
     */
    CompletableFuture<long[]> submit(UUID queue, QueueCommand command) {
        Message message = Message.valueOf(ByteString.copyFrom(QueueCommand.encode(command)));
        // an ack (settle, discard) applied twice does nothing the second time: resent too, else an ack whose client
        // was replaced would be lost and its message stay held by a live consumer, filling its prefetch for good
        boolean resendable = command instanceof QueueCommand.Enqueue e && !e.publisher().isEmpty()
                || command instanceof QueueCommand.EnqueueBatch // numbered publishes and acks only
                || command instanceof QueueCommand.Flush || command instanceof QueueCommand.Settle
                || command instanceof QueueCommand.Discard || command instanceof QueueCommand.Detach;
        CompletableFuture<RaftClientReply> sent = resendable
                ? sendResending(queue, message, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(commitTimeoutMillis))
                : sendOnce(queue, message);
        // the log index the group answered with, while this replica catches up to it (-1: no answer yet); read by
        // the timeout's thread, hence atomic
        AtomicLong answeredAt = new AtomicLong(-1);
        return sent
                .thenCompose(reply -> {
                    if (!reply.isSuccess()) {
                        throw new CompletionException(reply.getException());
                    }
                    long[] result = QuorumReplies.decode(reply.getMessage().getContent().toByteArray());
                    QuorumStateMachine local = machine.apply(queue);
                    // a basic.get reads the body from this node's log: wait until this replica has the entry
                    if (local == null || !(command instanceof QueueCommand.Dequeue)) {
                        return CompletableFuture.completedFuture(result);
                    }
                    answeredAt.set(reply.getLogIndex());
                    return local.applied().await(reply.getLogIndex()).thenApply(v -> result);
                })
                .orTimeout(commitTimeoutMillis, TimeUnit.MILLISECONDS)
                .handle((result, failure) -> {
                    if (failure == null) {
                        return result;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof org.apache.ratis.protocol.exceptions.AlreadyClosedException) {
                        // the client was replaced after an earlier failure (logged then) or is closing
                        LOG.debug("quorum queue {}: command not committed: {}", queue, cause.getMessage());
                    } else {
                        LOG.info("quorum queue {}: command not committed: {}", queue, cause instanceof TimeoutException
                                ? "timed out after " + commitTimeoutMillis + " ms" + waitingFor(queue, answeredAt.get())
                                : String.valueOf(cause.getMessage()));
                    }
                    throw new ClusterUnavailableException("no majority of the quorum queue's members committed within "
                            + commitTimeoutMillis + " ms");
                });
    }

    /** What a timed-out command waited for: the group's answer, or this replica to apply what the group answered. */
    private String waitingFor(UUID queue, long answeredAt) {
        QuorumStateMachine local = machine.apply(queue);
        return answeredAt < 0 ? " (no answer from the group)" : " (the group answered at log index " + answeredAt
                + "; this replica has applied " + (local == null ? "nothing" : local.applied().get()) + ")";
    }

    private CompletableFuture<RaftClientReply> sendOnce(UUID queue, Message message) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(commitTimeoutMillis);
        RaftClient client = clientFor(queue);
        return send(client, queue, message, deadline)
                .handle((reply, failure) -> {
                    discardIfFailed(queue, client, failure);
                    if (failure != null && NotAppended.byFormerMember(failure) && System.nanoTime() < deadline) {
                        // the client asked a node that has left the group (it knew the old members): that
                        // node did not take the command, so it goes again through a client made for the
                        // members as they are now
                        RaftClient fresh = clientFor(queue);
                        return send(fresh, queue, message, deadline)
                                .whenComplete((r, f) -> discardIfFailed(queue, fresh, f));
                    }
                    return failure == null ? CompletableFuture.completedFuture(reply)
                            : CompletableFuture.<RaftClientReply>failedFuture(failure);
                })
                .thenCompose(f -> f);
    }

    /**
     * Sends a command that may be applied twice without harm (a numbered publish: the queue drops a
     * second copy, see {@link PublisherOrder}; a flush; an ack). Ratis' ordered client can stall after a
     * leader change, its requests retried until the commit timeout and every publish in flight
     * nacked (seen under load: requests held at the new leader behind ones lost with the old); as
     * RabbitMQ's quorum queue client resends its pending commands to a new leader, a command that
     * has no answer after {@link #RESEND_AFTER_MILLIS} is sent again through a new client, until an
     * answer comes or the deadline passes. The first answer wins.
     */
    private CompletableFuture<RaftClientReply> sendResending(UUID queue, Message message, long deadline) {
        CompletableFuture<RaftClientReply> answer = new CompletableFuture<>();
        attempt(queue, message, deadline, answer);
        return answer;
    }

    private void attempt(UUID queue, Message message, long deadline, CompletableFuture<RaftClientReply> answer) {
        RaftClient client = clientFor(queue);
        send(client, queue, message, deadline)
                .whenComplete((reply, failure) -> {
                    if (failure == null) {
                        answer.complete(reply);
                    } else {
                        discardIfFailed(queue, client, failure); // the resend below uses a new client
                    }
                });
        CompletableFuture.delayedExecutor(RESEND_AFTER_MILLIS, TimeUnit.MILLISECONDS, admin).execute(() -> {
            if (answer.isDone() || admin.isShutdown()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                answer.completeExceptionally(new TimeoutException("no answer"));
                return;
            }
            if (clients.remove(QuorumQueues.group(queue), client)) {
                LOG.debug("quorum queue {}: no answer within {} ms, sending again through a new client", queue,
                        RESEND_AFTER_MILLIS);
                admin.execute(() -> closeQuietly(client));
            }
            attempt(queue, message, deadline, answer);
        });
    }

    /**
     * Sends once, and again while the leader refuses it because it is handing over its leadership
     * (a leadership transfer, see QuorumMembership): such a command was refused before it was
     * appended, so sending it again cannot apply it twice. Ratis' client does not retry that refusal.
     */
    private CompletableFuture<RaftClientReply> send(RaftClient client, UUID queue, Message message, long deadlineNanos) {
        return CompletableFuture.supplyAsync(() -> sendNow(client, queue, message), submitter)
                .thenCompose(f -> f)
                .handle((reply, failure) -> {
                    Throwable refusal = failure != null ? failure : reply.isSuccess() ? null : reply.getException();
                    if (refusal instanceof CompletionException && refusal.getCause() != null) {
                        refusal = refusal.getCause();
                    }
                    if (refusal instanceof LeaderSteppingDownException && System.nanoTime() < deadlineNanos) {
                        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                                STEPPING_DOWN_RETRY_MILLIS, TimeUnit.MILLISECONDS))
                                .thenCompose(v -> send(client, queue, message, deadlineNanos));
                    }
                    return failure != null ? CompletableFuture.<RaftClientReply>failedFuture(failure)
                            : CompletableFuture.completedFuture(reply);
                })
                .thenCompose(f -> f);
    }

    /**
     * On the submit thread: straight to this node's member when it leads the group ({@link LocalLeaderSubmit}),
     * else (or when it turns out no longer to lead: refused before appending) through the client.
     */
    private CompletableFuture<RaftClientReply> sendNow(RaftClient client, UUID queue, Message message) {
        RaftHost h = host.get();
        CompletableFuture<RaftClientReply> direct = h == null ? null : local.submitIfLeader(h.server(), QuorumQueues.group(queue), message);
        if (direct == null) {
            return client.async().send(message);
        }
        return direct.thenComposeAsync(reply -> NotAppended.byFormerLeader(reply) ? client.async().send(message)
                : CompletableFuture.completedFuture(reply), submitter);
    }

    static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing a quorum queue client: {}", e.toString());
        }
    }

    /**
     * The queue's counts as its leader has them (a read-only query, no log entry): for a node with
     * no replica. Completes with {ready, ready bytes, unacked, consumers}, or fails after the commit
     * timeout. Never blocks the caller.
     */
    CompletableFuture<long[]> leaderCounts(UUID queue) {
        if (host.get() == null) { // the node's Raft server is still starting (replaying the definitions' log)
            return CompletableFuture.failedFuture(new ClusterUnavailableException("the node's Raft server is starting"));
        }
        RaftClient client = clientFor(queue);
        return CompletableFuture.supplyAsync(() -> client.async().sendReadOnly(Message.EMPTY), submitter)
                .thenCompose(f -> f.whenComplete((r, failure) -> discardIfFailed(queue, client, failure)))
                .thenApply(reply -> {
                    if (!reply.isSuccess()) {
                        throw new CompletionException(reply.getException());
                    }
                    return QuorumReplies.decode(reply.getMessage().getContent().toByteArray());
                })
                .orTimeout(commitTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Completes once the queue's group answers with its limits set (a read-only query, harmless to
     * repeat), or after {@code maxMillis} in any case: a node that did not create the group sends its
     * first commands once the group exists (rather than have them fail) and has the first member's
     * Configure (else a publish could go to a waiting single active consumer under default limits).
     */
    CompletableFuture<Void> awaitGroup(UUID queue, long maxMillis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        askUntilAnswered(queue, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis), done);
        return done;
    }

    private void askUntilAnswered(UUID queue, long deadline, CompletableFuture<Void> done) {
        leaderCounts(queue).whenComplete((r, failure) -> {
            boolean configured = failure == null && (r.length < 5 || r[4] != 0); // 4: an older node
            if (configured || System.nanoTime() > deadline || admin.isShutdown()) {
                done.complete(null);
            } else {
                CompletableFuture.delayedExecutor(250, TimeUnit.MILLISECONDS, admin)
                        .execute(() -> askUntilAnswered(queue, deadline, done));
            }
        });
    }

    /**
     * Ratis' ordered async client fails every later request once one request failed for good (its
     * sliding window closes: "SlidingWindow$Client ... is closed"): a single failure, e.g. a
     * command sent before the group existed or one whose retries ran out during an election on a
     * busy machine, would then refuse every later command of this node. A client whose request
     * failed is therefore replaced; the next command makes a new one. (The failed command is not
     * sent again: it may have been applied, and a new client is not in the group's retry cache.)
     */
    private void discardIfFailed(UUID queue, RaftClient client, Throwable failure) {
        if (failure != null && clients.remove(QuorumQueues.group(queue), client)) {
            // debug: the failed command itself is logged by its caller
            LOG.debug("quorum queue {}: replacing its Raft client after: {}", queue, failure.toString());
            admin.execute(() -> {
                try {
                    client.close();
                } catch (IOException e) {
                    LOG.debug("closing a quorum queue client: {}", e.toString());
                }
            });
        }
    }

    /**
     * The member this node last found leading the queue's group (its client follows leader changes),
     * or null if this node has not talked to the group yet.
     */
    String knownLeader(UUID queue) {
        RaftClient client = clients.get(QuorumQueues.group(queue));
        RaftPeerId leader = client == null ? null : client.getLeaderId();
        return leader == null ? null : leader.toString();
    }

    private RaftClient clientFor(UUID queue) {
        return clients.computeIfAbsent(QuorumQueues.group(queue), g -> newClient(groupOf.apply(queue)));
    }

    RaftClient newClient(RaftGroup group) {
        RaftHost h = host.get();
        RaftProperties props = new RaftProperties(h.properties());
        // generous: Ratis' client takes a request that times out at a live leader for a dead leader, picks
        // another member and closes its connection, failing every request in flight with it (up to 100
        // publishes). On a busy machine a commit can take seconds; with 2 s each timeout set off a storm
        // of retries that outlasted the commit timeout, and every publish in flight was nacked. A dead
        // leader is found out at once anyway (its port refuses the connection).
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(group)
                .setProperties(props)
                .setParameters(h.parameters()) // the Raft port's TLS: a client without it is refused
                .setRetryPolicy(CommitRetryPolicy.within(commitTimeoutMillis))
                .build();
    }

    @Override
    public void close() {
        submitter.shutdownNow();
        clients.values().forEach(GroupClients::closeQuietly);
        clients.clear();
    }
}
