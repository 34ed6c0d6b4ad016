package io.warren.cluster;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
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
    /** The largest Raft log entry: within Ratis' default log write buffer (8 MiB, it must be 8 bytes above this). */
    public static final long MAX_ENTRY_BYTES = 8L * 1024 * 1024 - 1024;

    private RaftSettings() {
    }

    static RaftProperties server(ClusterPeer self, Path storageDir, long snapshotEvery, long segmentBytes) {
        RaftProperties p = new RaftProperties();
        // gRPC, not Ratis' Netty transport: the Netty server answers a client request on its event loop only
        // once the request is committed and applied, so each connection carried one command at a time (a
        // quorum queue was limited to one publish per commit round: measured 88 msg/s on three nodes) and a
        // loop blocked so could hold up other Raft traffic behind it. gRPC streams requests and replies
        // (ordered, pipelined) and its log appender keeps several appendEntries in flight per follower.
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        // a quorum queue's message is one log entry, and the leader's appendEntries buffer must take it whole
        // (with Ratis' 4 MB default a larger entry was never sent to the followers, and its publish timed out).
        // Ratis needs the log's write buffer (a direct buffer per group) at least that large, so entries are
        // capped at its 8 MiB default: larger messages are refused at publish (QuorumQueues.MAX_MESSAGE_BYTES)
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(MAX_ENTRY_BYTES));
        // gRPC's message limit must be 1 MiB above that buffer (Ratis checks)
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(MAX_ENTRY_BYTES + 1024 * 1024));
        GrpcConfigKeys.Server.setHost(p, self.host());
        GrpcConfigKeys.Server.setPort(p, self.port());
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
