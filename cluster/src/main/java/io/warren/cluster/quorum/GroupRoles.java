package io.warren.cluster.quorum;

import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.server.RaftServer;

import java.util.ArrayList;
import java.util.List;

/**
 * What one member of a quorum queue's group can tell about the others from its Raft role: a leader
 * knows when it last heard from each follower, a follower knows only itself and its leader.
 */
final class GroupRoles {
    private GroupRoles() {
    }

    /**
     * The members known to answer: this one; the leader's followers heard from within
     * {@code withinMillis}; on a follower, the leader it hears from.
     */
    static List<String> online(RaftServer.Division d, String leader, long withinMillis) {
        List<String> out = new ArrayList<>();
        out.add(d.getId().toString());
        RoleInfoProto role = roleOf(d);
        if (role == null) {
            return out;
        }
        if (role.hasLeaderInfo()) {
            role.getLeaderInfo().getFollowerInfoList().forEach(f -> {
                if (f.getLastRpcElapsedTimeMs() < withinMillis) {
                    out.add(f.getId().getId().toStringUtf8());
                }
            });
        } else if (leader != null && !out.contains(leader)) {
            out.add(leader);
        }
        out.sort(null);
        return out;
    }

    /** On a leader, the followers not heard from for longer than {@code silentMillis}; empty on a follower. */
    static List<String> silentFollowers(RaftServer.Division d, long silentMillis) {
        List<String> out = new ArrayList<>();
        RoleInfoProto role = roleOf(d);
        if (role != null && role.hasLeaderInfo()) {
            role.getLeaderInfo().getFollowerInfoList().forEach(f -> {
                if (f.getLastRpcElapsedTimeMs() > silentMillis) {
                    out.add(f.getId().getId().toStringUtf8());
                }
            });
        }
        return out;
    }

    /** The member's role, or null while the group is still starting (Ratis has no role to report yet). */
    private static RoleInfoProto roleOf(RaftServer.Division d) {
        try {
            return d.getInfo().getRoleInfoProto();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
