package io.warren.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides which cycle files may be deleted. Per cycle it counts live (message, queue) references of the
 * messages published in it, per queue so that deleting a queue can drop its share at once.
 *
 * <p>A cycle also holds settle, delivered and delete-queue records about messages of <em>older</em>
 * cycles. If it were deleted while such an older cycle still exists, a restart would replay the old
 * publishes without the records that settled them, and settled messages would come back. So each cycle
 * remembers the oldest cycle it refers to, and is deleted only when no cycle from there up to itself is
 * left. A cycle with live messages pins only the cycles that refer to it, not everything after it.
 */
final class CycleLedger {
    private static final class Cycle {
        final Map<Long, int[]> liveByQueue = new HashMap<>();
        long live;
        int oldestReferenced = Integer.MAX_VALUE;
    }

    private final TreeMap<Integer, Cycle> cycles = new TreeMap<>();

    void addCycle(int cycle) {
        cycles.computeIfAbsent(cycle, c -> new Cycle());
    }

    void published(int cycle, long[] queueIds) {
        Cycle c = cycles.computeIfAbsent(cycle, k -> new Cycle());
        for (long q : queueIds) {
            c.liveByQueue.computeIfAbsent(q, k -> new int[1])[0]++;
            c.live++;
        }
    }

    /** A record written in {@code writtenIn} settled one reference of a message published in {@code messageCycle}. */
    void settled(int writtenIn, int messageCycle, long queueId) {
        Cycle m = cycles.get(messageCycle);
        if (m != null) {
            int[] n = m.liveByQueue.get(queueId);
            if (n != null && n[0] > 0) {
                n[0]--;
                m.live--;
                if (n[0] == 0) m.liveByQueue.remove(queueId);
            }
        }
        referenced(writtenIn, messageCycle);
    }

    /** A record written in {@code writtenIn} says something about a message of {@code messageCycle}. */
    void referenced(int writtenIn, int messageCycle) {
        if (messageCycle >= writtenIn) return;
        Cycle w = cycles.computeIfAbsent(writtenIn, k -> new Cycle());
        if (messageCycle < w.oldestReferenced) w.oldestReferenced = messageCycle;
    }

    /** A queue was deleted by a record in {@code writtenIn}: all its references go. */
    void queueDeleted(int writtenIn, long queueId) {
        for (Map.Entry<Integer, Cycle> e : cycles.entrySet()) {
            int[] n = e.getValue().liveByQueue.remove(queueId);
            if (n != null) {
                e.getValue().live -= n[0];
                referenced(writtenIn, e.getKey());
            }
        }
    }

    /** Cycles older than {@code current} that can go now, oldest first; forgets them. */
    List<Integer> takeDeletable(int current) {
        List<Integer> out = new ArrayList<>();
        for (Integer cycle : new ArrayList<>(cycles.headMap(current, false).keySet())) {
            Cycle c = cycles.get(cycle);
            if (c.live != 0) continue;
            int from = Math.min(c.oldestReferenced, cycle);
            if (!cycles.subMap(from, true, cycle, false).isEmpty()) continue;
            cycles.remove(cycle);
            out.add(cycle);
        }
        return out;
    }
}
