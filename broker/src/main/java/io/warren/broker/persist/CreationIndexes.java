package io.warren.broker.persist;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In a cluster, the index of the cluster log entry that created each vhost and each non-exclusive
 * queue this node has.
 *
 * <p>Why: a node that restarts replays the log written since the last cluster snapshot over the
 * definitions it recovered from its own disk. A replayed command older than the vhost or queue it
 * names was meant for an earlier one of the same name, deleted since: applied again it would delete
 * the newer one with its messages (declare q, delete q, declare q: the replayed delete). So the
 * cluster skips such commands (see {@code ReplayGuard}). Durable ones keep their index in their own
 * definition record ({@link DurableTopology}), so the index is on disk exactly when the definition
 * is; transient ones are made again by the replay, which records their index anew.
 *
 * <p>{@link #UNKNOWN} (-1): not created by the cluster log (before the node joined a cluster, or the
 * default vhost made at every start), older than every entry, so every command applies to it.
 */
public final class CreationIndexes {
    public static final long UNKNOWN = -1;

    private final Map<String, Long> vhosts = new ConcurrentHashMap<>();
    private final Map<String, Long> queues = new ConcurrentHashMap<>();
    /** The log entry the cluster is applying now (one apply thread), {@link #UNKNOWN} between entries. */
    private volatile long applying = UNKNOWN;
    /** Drops the stored indexes too (set by the persistence that stores them). */
    private volatile Runnable forgotten = () -> { };

    /**
     * The cluster's log starts anew on this node (its Raft storage is new): indexes from an earlier
     * log mean nothing in the new one, and kept they would make every change to those vhosts and
     * queues look older than them. Forgotten, every entry applies to them again.
     */
    public void forgetAll() {
        if (vhosts.isEmpty() && queues.isEmpty()) {
            return;
        }
        vhosts.clear();
        queues.clear();
        forgotten.run();
    }

    void onForget(Runnable dropStored) {
        this.forgotten = dropStored;
    }

    /** The cluster's apply thread announces the entry it applies, and {@link #UNKNOWN} once it is done. */
    public void applying(long index) {
        applying = index;
    }

    /** The log entry being applied now ({@link #UNKNOWN} outside the cluster's apply thread). */
    public long current() {
        return applying;
    }

    public long vhost(String vhost) {
        return vhosts.getOrDefault(vhost, UNKNOWN);
    }

    public long queue(String vhost, String queue) {
        return queues.getOrDefault(key(vhost, queue), UNKNOWN);
    }

    void vhostCreated(String vhost, long index) {
        if (index >= 0) {
            vhosts.put(vhost, index);
        } else {
            vhosts.remove(vhost);
        }
    }

    void vhostDeleted(String vhost) {
        vhosts.remove(vhost);
    }

    void queueCreated(String vhost, String queue, long index) {
        if (index >= 0) {
            queues.put(key(vhost, queue), index);
        } else {
            queues.remove(key(vhost, queue));
        }
    }

    void queueDeleted(String vhost, String queue) {
        queues.remove(key(vhost, queue));
    }

    private static String key(String vhost, String queue) {
        return vhost + '\0' + queue;
    }
}
