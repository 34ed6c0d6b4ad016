package io.warren.cluster.quorum;

import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;

/**
 * Answers that say a command was refused before it was appended to the group's log, so sending it again
 * cannot apply it twice, whatever the command.
 */
final class NotAppended {
    private NotAppended() {
    }

    /** This node's member no longer leads (or is not ready to): see {@link LocalLeaderSubmit}. */
    static boolean byFormerLeader(RaftClientReply reply) {
        return reply.getNotLeaderException() != null || reply.getLeaderNotReadyException() != null;
    }

    /** The node asked has left the group ("group not found"): the client knew the old members. */
    static boolean byFormerMember(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GroupMismatchException) {
                return true;
            }
        }
        return false;
    }
}
