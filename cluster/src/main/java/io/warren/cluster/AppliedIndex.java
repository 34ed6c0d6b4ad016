package io.warren.cluster;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * The highest log index this node has applied, and futures waiting for an index: a declare's
 * {@code -ok} must wait until the node the client talks to routes with the change, not merely
 * until the leader committed it.
 */
public final class AppliedIndex {
    private volatile long index = -1;
    private final ConcurrentSkipListMap<Long, List<CompletableFuture<Void>>> waiters = new ConcurrentSkipListMap<>();

    public long get() {
        return index;
    }

    public void advance(long to) {
        if (to > index) {
            index = to;
        }
        Map<Long, List<CompletableFuture<Void>>> due = waiters.headMap(to, true);
        for (Long k : List.copyOf(due.keySet())) {
            List<CompletableFuture<Void>> fs = waiters.remove(k);
            if (fs != null) {
                fs.forEach(f -> f.complete(null));
            }
        }
    }

    /** Completes once {@code target} is applied here (at once if it already is). */
    public CompletableFuture<Void> await(long target) {
        if (index >= target) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiters.computeIfAbsent(target, k -> new CopyOnWriteArrayList<>()).add(f);
        if (index >= target) {
            // applied between the check and the registration: advance may have taken this index's list away
            // (completing the waiters in it then) just before f was added to it, so f completes here
            f.complete(null);
            advance(index); // drops the list, if it is still there, completing the others in it
        }
        return f;
    }
}
