package io.warren.broker.cluster;

import io.warren.broker.persist.CreationIndexes;

import java.util.List;
import java.util.Map;

/**
 * Tells a replayed command that is older than the vhost or queue it names, which therefore exists
 * in a newer form than the one the command was meant for (see {@link CreationIndexes}).
 *
 * <p>A node that restarts applies again the log written since the last cluster snapshot, over what
 * it recovered from its own disk. Applied as it was the first time, "declare q, delete q, declare q"
 * deletes the q on disk, the newer one, with its messages, and "delete vhost v" deletes a v that was
 * made again since with its queues. Skipped when older than their target, they leave the newer vhost
 * or queue as it is on disk, and every later command (those after its creation) applies as before,
 * so the node ends as the cluster is. Commands on users, exchanges and bindings alone are applied
 * again as they are: repeating them in order ends where the log ends, and they hold no messages.
 * A definitions import is applied again whole (it only creates or updates, never deletes).
 *
 * <p>Live, a command is never older than what it names: every vhost and queue was created by an
 * entry at or before the one being applied.
 */
final class ReplayGuard {
    private ReplayGuard() {
    }

    /** True when the command at {@code index} was meant for an older vhost or queue than this node has. */
    static boolean isStale(Map<String, Object> command, long index, CreationIndexes created) {
        String vhost;
        String queue = null;
        String op = (String) command.get("op");
        if (op.equals("admin")) {
            @SuppressWarnings("unchecked")
            List<Object> a = (List<Object>) command.get("args");
            switch ((String) command.get("action")) {
                case "putVhost", "deleteVhost", "putPolicy", "deletePolicy", "declareExchange", "deleteExchange" ->
                        vhost = (String) a.get(0);
                case "setPermission", "clearPermission" -> vhost = (String) a.get(1);
                case "declareQueue", "deleteQueue" -> {
                    vhost = (String) a.get(0);
                    queue = (String) a.get(1);
                }
                case "bind", "unbind" -> {
                    vhost = (String) a.get(0);
                    queue = "exchange".equals(a.get(2)) ? null : (String) a.get(3);
                }
                default -> {
                    return false; // users, definitions imports
                }
            }
        } else {
            vhost = (String) command.get("vhost");
            queue = op.startsWith("queue.") ? (String) command.get("name") : null;
        }
        return created.vhost(vhost) > index || (queue != null && created.queue(vhost, queue) > index);
    }
}
