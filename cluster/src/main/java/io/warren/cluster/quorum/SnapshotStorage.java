package io.warren.cluster.quorum;

import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;

import java.io.IOException;

/**
 * A quorum queue's snapshot files, without the directory scans Ratis would make on the hot path.
 * <ul>
 * <li>A queue may refuse a snapshot while old messages are unsettled ({@link QuorumStateMachine#takeSnapshot});
 * Ratis then asks again after every applied entry and, each time, lists the snapshot directory and reads
 * every MD5 file to clean up old snapshots (measured: 8% of a busy leader's CPU). Nothing needs cleaning
 * until a new snapshot was written, so only then.
 * <li>A leader's log appenders ask for the latest snapshot on every round (should a follower get it?). With
 * none taken yet, Ratis lists the directory each time to find there is none (measured: 4% of a busy
 * leader's CPU). Once a scan found none, there is none until this queue writes one or Ratis installs one
 * from a leader ({@link #loadLatestSnapshot()} scans again then).
 * </ul>
 */
final class SnapshotStorage extends SimpleStateMachineStorage {
    private volatile boolean written = true; // at start: what an earlier run left
    private volatile boolean noneOnDisk;
    /** What {@link #updateLatestSnapshot} last made the latest (Ratis keeps it privately). */
    private volatile SingleFileSnapshotInfo latestKnown;
    /** Counts snapshots written or loaded, so that a scan that raced with one does not hide it. */
    private long changes;

    @Override
    public synchronized SingleFileSnapshotInfo updateLatestSnapshot(SingleFileSnapshotInfo info) { // rare
        if (info != null) {
            written = true;
            changed();
        }
        SingleFileSnapshotInfo latest = super.updateLatestSnapshot(info);
        latestKnown = latest;
        return latest;
    }

    @Override
    public SingleFileSnapshotInfo getLatestSnapshot() {
        SingleFileSnapshotInfo latest = latestKnown;
        if (latest != null || noneOnDisk) {
            return latest;
        }
        long before = changesSoFar();
        latest = super.loadLatestSnapshot(); // the scan (not through this class's loadLatestSnapshot)
        if (latest == null) {
            synchronized (this) {
                noneOnDisk = changes == before;
            }
        }
        return latest;
    }

    @Override
    public SingleFileSnapshotInfo loadLatestSnapshot() {
        changed();
        return super.loadLatestSnapshot();
    }

    private synchronized void changed() {
        changes++;
        noneOnDisk = false;
    }

    private synchronized long changesSoFar() {
        return changes;
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        if (!written) {
            return;
        }
        written = false;
        super.cleanupOldSnapshots(policy);
    }
}
