package io.warren.broker.model;

import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * The ready messages of one queue (or of one priority), in order. New messages append to a deque
 * (O(1)); requeued messages go to a side map keyed by their original sequence number, so they come
 * out again at their original position: every requeued message was delivered before any
 * still-ready message in the deque, hence it is served first, lowest sequence first.
 *
 * <p>An entry taken out of the middle (it expired before its turn) is removed from the side map
 * directly, or left in the deque as a tombstone that {@link #poll} skips; the deque is compacted
 * when tombstones outnumber live entries, so memory stays proportional to the live count.
 */
final class ReadyList implements ReadyMessages {
    private static final int COMPACT_MIN = 64;

    private final ArrayDeque<QueueEntry> fresh = new ArrayDeque<>();
    private final TreeMap<Long, QueueEntry> requeued = new TreeMap<>();
    private int live;
    private int tombstones;
    private long bytes;

    @Override
    public void append(QueueEntry e) {
        fresh.addLast(e);
        live++;
        bytes += e.message().bodySize();
    }

    @Override
    public void requeue(QueueEntry e) {
        requeued.put(e.seq(), e);
        live++;
        bytes += e.message().bodySize();
    }

    @Override
    public QueueEntry poll() {
        QueueEntry e;
        if (!requeued.isEmpty()) {
            e = requeued.pollFirstEntry().getValue();
        } else {
            e = fresh.pollFirst();
            while (e != null && e.isRemoved()) {
                tombstones--;
                e = fresh.pollFirst();
            }
        }
        if (e != null) {
            live--;
            bytes -= e.message().bodySize();
        }
        return e;
    }

    @Override
    public QueueEntry peek() {
        if (!requeued.isEmpty()) {
            return requeued.firstEntry().getValue();
        }
        QueueEntry e = fresh.peekFirst();
        while (e != null && e.isRemoved()) { // drop tombstones on the way
            fresh.pollFirst();
            tombstones--;
            e = fresh.peekFirst();
        }
        return e;
    }

    @Override
    public void remove(QueueEntry e) {
        if (!requeued.remove(e.seq(), e)) { // not a requeued one, so it is in the deque
            if (fresh.peekFirst() == e) {
                fresh.pollFirst();
            } else {
                e.markRemoved();
                tombstones++;
                if (tombstones > COMPACT_MIN && tombstones > live) {
                    compact();
                }
            }
        }
        live--;
        bytes -= e.message().bodySize();
    }

    private void compact() {
        fresh.removeIf(QueueEntry::isRemoved); // one linear pass
        tombstones = 0;
    }

    @Override
    public int size() {
        return live;
    }

    @Override
    public boolean isEmpty() {
        return live == 0;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public int clear() {
        int n = live;
        fresh.clear();
        requeued.clear();
        live = 0;
        tombstones = 0;
        bytes = 0;
        return n;
    }
}
