package io.warren.cluster;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ratis settings for the metadata group. Election timeouts are longer than Ratis' defaults
 * (150-300 ms): definitions change rarely, and on a busy small machine a GC pause or a starved
 * thread must not trigger an election; a dead leader is still replaced within about two seconds.
 */
final class RaftSettings {
    private RaftSettings() {
    }

    static RaftProperties server(ClusterPeer self, Path storageDir, long snapshotEvery, long segmentBytes) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setHost(p, self.host());
        NettyConfigKeys.Server.setPort(p, self.port());
        RaftServerConfigKeys.setStorageDir(p, List.of(new File(storageDir.toString())));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(3000, TimeUnit.MILLISECONDS));
        // definitions are small: small log segments, and a snapshot every snapshotEvery entries so a
        // node that was away long catches up from a snapshot instead of an ever longer log
        // only closed segments are purged after a snapshot: smaller segments, less log kept
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(segmentBytes));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(segmentBytes, 64 * 1024)));
        // quorum queues read message bodies back from their logs: a read loads a whole segment into
        // the log's cache, and each group may keep this many cached (Ratis' default, 6, is per group)
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
        // Ratis' metadata entry after every commit (the new commit index) stays on: it costs a log write, but
        // it is also what carries a commit to the followers at once; without it a follower learns of a commit
        // only with the next heartbeat (half an election timeout), and a change submitted through a follower
        // waits that long for the follower to apply it (tried: declares and gets through followers slowed to
        // hundreds of milliseconds)
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotEvery);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, snapshotEvery));
        return p;
    }

    /** Election timeouts for groups of one member: nobody else can lead, so waiting long gains nothing. */
    static void singleMemberElections(RaftProperties p) {
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(150, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
    }
}
