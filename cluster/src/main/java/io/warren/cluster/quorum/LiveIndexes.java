package io.warren.cluster.quorum;

import java.util.Map;
import java.util.TreeMap;

/**
 * A lower bound of the oldest log index a live (unsettled) message still needs, at a few bytes per
 * 4096 messages instead of a tree node per message: live ids are counted per block of ids, and the
 * lowest block with a count is the bound. The log before it may be compacted.
 */
final class LiveIndexes {
    private static final int BLOCK_BITS = 12;
    private final TreeMap<Long, int[]> counts = new TreeMap<>();
    private long size;

    void add(long id) {
        counts.computeIfAbsent(id >> BLOCK_BITS, k -> new int[1])[0]++;
        size++;
    }

    void remove(long id) {
        Long block = id >> BLOCK_BITS;
        int[] c = counts.get(block);
        if (c == null) {
            throw new IllegalStateException("message " + id + " is not live");
        }
        if (--c[0] == 0) {
            counts.remove(block);
        }
        size--;
    }

    long size() {
        return size;
    }

    /** No live message has an id below this (Long.MAX_VALUE when none is live). */
    long lowerBound() {
        Map.Entry<Long, int[]> first = counts.firstEntry();
        return first == null ? Long.MAX_VALUE : first.getKey() << BLOCK_BITS;
    }

    void clear() {
        counts.clear();
        size = 0;
    }
}
