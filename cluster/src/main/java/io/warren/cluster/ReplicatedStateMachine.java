package io.warren.cluster;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
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
import java.util.concurrent.CompletableFuture;

/**
 * The Ratis side of {@link ReplicatedState}: hands each committed entry to the state in log order,
 * writes snapshots (one file, with its MD5, so Ratis can ship it to a lagging follower) and loads
 * the newest one at start or after a snapshot was installed. {@link AppliedIndex} lets a submitter
 * wait until this node has applied its own entry.
 */
final class ReplicatedStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedStateMachine.class);

    /** An entry that changes nothing: a node that applied it knows it applied everything committed before. */
    static final byte[] NO_OP = new byte[0];

    private final ReplicatedState state;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final AppliedIndex applied = new AppliedIndex();

    ReplicatedStateMachine(ReplicatedState state) {
        this.state = state;
    }

    AppliedIndex applied() {
        return applied;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().transition(LifeCycle.State.STARTING);
        storage.init(raftStorage);
        load(storage.getLatestSnapshot(), false);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Ratis pauses the state machine before it installs a snapshot from the leader, then calls reinitialize. */
    @Override
    public synchronized void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public synchronized void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot(), true); // a snapshot was installed from the leader
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        byte[] result;
        ByteString data = entry.getStateMachineLogEntry().getLogData();
        try {
            result = data.isEmpty() ? NO_OP : state.apply(entry.getIndex(), data.toByteArray());
        } catch (RuntimeException e) {
            // a bug applying one entry must not stop the node applying the rest of the log
            LOG.error("applying cluster log entry {} failed: {}", entry.getIndex(), e.toString());
            result = new byte[0];
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        applied.advance(entry.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(result)));
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        Files.write(file.toPath(), state.snapshot());
        FileInfo info = new FileInfo(file.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(file));
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(info, last));
        LOG.debug("cluster snapshot at index {}", last.getIndex());
        return last.getIndex();
    }

    private void load(SingleFileSnapshotInfo snapshot, boolean replace) throws IOException {
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
        state.restore(Files.readAllBytes(file.toPath()), last.getIndex(), replace);
        setLastAppliedTermIndex(last);
        applied.advance(last.getIndex());
    }
}
