package io.warren.cluster.quorum;

import io.warren.cluster.AppliedIndex;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.raftlog.RaftLogIOException;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One member's replica of one quorum queue: applies the group's committed commands to a
 * {@link QueueState}, tells the {@link QuorumListener} what they caused, and reads message bodies
 * back from the group's Raft log on disk (bodies are never kept in the state). Snapshots are the
 * state without bodies, taken at a {@link ReleaseCursors release cursor} so that the log they let
 * Ratis purge holds no live message.
 */
final class QuorumStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumStateMachine.class);

    /**
     * Counts for the management API, and when the leader should next tick (head message expiry,
     * x-expires), replaced after each applied entry (read from any thread).
     */
    record Stats(long ready, long readyBytes, long unacked, int consumers, long nextExpiry, long expiresAt,
                 String singleActiveConsumer, boolean configured) {
        static final Stats EMPTY = new Stats(0, 0, 0, 0, QueueState.NEVER, QueueState.NEVER, null, false);
    }

    private final QueueState state = new QueueState();
    private final SnapshotStorage storage = new SnapshotStorage();
    private final AppliedIndex applied = new AppliedIndex();
    private final ReleaseCursors cursors;
    private volatile QuorumListener listener = QuorumListener.NONE;
    private volatile Stats stats = Stats.EMPTY;
    /** Snapshots received from a leader because this member lagged behind the leader's compacted log. */
    private volatile int installedSnapshots;
    private volatile RaftServer server;
    private volatile RaftServer.Division division;
    /** The batch entry the last body was read from (read from consumers' threads). */
    private volatile DecodedBatch lastBatch;

    /** When this replica was made here (a member removed and added again gets a new one). */
    private final long createdNanos = System.nanoTime();
    private volatile boolean closed;

    QuorumStateMachine(long cursorEvery) {
        this.cursors = new ReleaseCursors(cursorEvery);
    }

    long createdNanos() {
        return createdNanos;
    }

    /** Closed with its group (removed from this node): a group added again needs a new machine. */
    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        super.close();
    }

    AppliedIndex applied() {
        return applied;
    }

    int installedSnapshots() {
        return installedSnapshots;
    }

    Stats stats() {
        return stats;
    }

    void listener(QuorumListener listener) {
        this.listener = listener == null ? QuorumListener.NONE : listener;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        this.server = server;
        getLifeCycle().transition(LifeCycle.State.STARTING);
        storage.init(raftStorage);
        load(storage.getLatestSnapshot());
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    @Override
    public synchronized void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After Ratis installed a snapshot from the leader: the state becomes exactly the snapshot. */
    @Override
    public synchronized void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
        installedSnapshots++;
        LOG.info("quorum queue {}: caught up from the leader's snapshot at index {}", getGroupId(), applied.get());
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /**
     * On the leader, as it accepts a command: the leader's clock goes into the log entry with it,
     * so that every member decides TTL and x-expires from the same time.
     */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        // a rope of the stamp and the request's bytes: the message body is not copied here
        ByteString stamped = ByteString.copyFrom(StampedCommand.header(System.currentTimeMillis()))
                .concat(request.getMessage().getContent());
        return TransactionContext.newBuilder()
                .setStateMachine(this)
                .setClientRequest(request)
                .setLogData(stamped)
                .build();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        long[] reply = QuorumReplies.NONE;
        try {
            byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
            QueueState.Outcome outcome = state.apply(index, StampedCommand.time(data), StampedCommand.commandToApply(data));
            reply = outcome.reply();
            publishStats();
            notify(index, outcome.effects());
        } catch (RuntimeException e) {
            // one bad entry must not stop this member applying the rest of the log
            LOG.error("quorum queue {}: applying log entry {} failed: {}", getGroupId(), index, e.toString());
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
        cursors.afterApply(entry.getTerm(), index, state);
        applied.advance(index);
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(QuorumReplies.encode(reply))));
    }

    /**
     * A read-only query (Ratis sends it to the leader): the queue's counts, for a node that holds no
     * replica and still answers queue.declare with them, and whether the queue's limits were set
     * (1) or not yet (0), for a node waiting to send its first commands (see GroupClients#awaitGroup).
     * This is the only query.
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        Stats s = stats;
        long[] counts = {s.ready(), s.readyBytes(), s.unacked(), s.consumers(), s.configured() ? 1 : 0};
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(QuorumReplies.encode(counts))));
    }

    private void notify(long index, List<QueueEffect> effects) {
        try {
            listener.applied(index, isLeader(), effects);
        } catch (RuntimeException e) {
            LOG.warn("quorum queue {}: listener failed on entry {}: {}", getGroupId(), index, e.toString());
        }
    }

    private void publishStats() {
        stats = new Stats(state.readyCount(), state.readyBytes(), state.unackedCount(), state.consumerCount(),
                state.nextExpiry(), state.expiresAt(), state.singleActiveConsumer(), state.configured());
    }

    boolean isLeader() {
        RaftServer.Division d = division();
        return d != null && d.getInfo().isLeader();
    }

    private RaftServer.Division division() {
        RaftServer.Division d = division;
        if (d == null && server != null) {
            try {
                d = server.getDivision(getGroupId());
                division = d;
            } catch (IOException | RuntimeException e) {
                return null; // not yet started
            }
        }
        return d;
    }

    /**
     * The content of message {@code id}, read from this member's Raft log. Consumers read a batch's
     * messages one after another, so the last batch read is kept decoded.
     */
    byte[] body(long id) throws IOException {
        long index = MessageIds.logIndex(id);
        int slot = MessageIds.slot(id);
        DecodedBatch cached = lastBatch;
        if (slot >= 0 && cached != null && cached.index() == index) {
            return cached.content(slot, id);
        }
        byte[] data = logData(index, id);
        if (slot < 0) {
            return QueueCommand.enqueuedContent(data);
        }
        if (!(StampedCommand.command(data) instanceof QueueCommand.EnqueueBatch batch)) {
            throw new IOException("message " + id + " of quorum queue " + getGroupId() + ": entry " + index + " is no batch");
        }
        DecodedBatch decoded = new DecodedBatch(index, batch.enqueues());
        lastBatch = decoded;
        return decoded.content(slot, id);
    }

    private byte[] logData(long index, long id) throws IOException {
        RaftServer.Division d = division();
        if (d == null) {
            throw new IOException("quorum queue " + getGroupId() + " is not running here");
        }
        LogEntryProto entry;
        try {
            entry = d.getRaftLog().get(index);
        } catch (RaftLogIOException e) {
            throw new IOException("reading message " + id + " of quorum queue " + getGroupId() + ": " + e.getMessage(), e);
        }
        if (entry == null || !entry.hasStateMachineLogEntry()) {
            throw new IOException("message " + id + " of quorum queue " + getGroupId() + " is not in the log");
        }
        return entry.getStateMachineLogEntry().getLogData().toByteArray();
    }

    /** A batch entry's enqueues, as read back from the log. */
    private record DecodedBatch(long index, List<QueueCommand.Enqueue> enqueues) {
        byte[] content(int slot, long id) throws IOException {
            if (slot >= enqueues.size()) {
                throw new IOException("message " + id + ": entry " + index + " holds " + enqueues.size() + " messages");
            }
            return enqueues.get(slot).content();
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        ReleaseCursors.Cursor c = cursors.releasable(state.lowestLive());
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        if (c == null || (latest != null && c.index() <= latest.getIndex())) {
            return RaftLog.INVALID_LOG_INDEX; // nothing new may be released yet: Ratis keeps the log
        }
        File file = storage.getSnapshotFile(c.term(), c.index());
        Files.write(file.toPath(), c.state());
        FileInfo info = new FileInfo(file.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(file));
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(info, TermIndex.valueOf(c.term(), c.index())));
        return c.index();
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        if (!file.exists()) {
            return;
        }
        if (snapshot.getFile().getFileDigest() != null) {
            MD5FileUtil.verifySavedMD5(file, snapshot.getFile().getFileDigest());
        }
        TermIndex last = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(file);
        state.restore(Files.readAllBytes(file.toPath()));
        cursors.reset(last.getIndex());
        setLastAppliedTermIndex(last);
        publishStats();
        applied.advance(last.getIndex());
    }
}
