package io.warren.broker.model;

import java.util.BitSet;

/**
 * Ready messages of a priority queue (x-max-priority): one {@link ReadyList} per priority level,
 * created on first use, and a bit set of the non-empty levels so the next message is found without
 * scanning empty ones. Higher priorities go first; within a level the order is FIFO, and a requeued
 * message returns to its original position within its level. A message's level is its priority
 * capped at the queue's maximum (RabbitMQ caps for ordering only; the delivered property is unchanged).
 */
final class PriorityReadyList implements ReadyMessages {
    private final ReadyMessages[] levels;
    private final java.util.function.Supplier<ReadyMessages> newLevel;
    private final BitSet nonEmpty;
    private int size;
    private long bytes;

    PriorityReadyList(int maxPriority, java.util.function.Supplier<ReadyMessages> newLevel) {
        this.newLevel = newLevel;
        levels = new ReadyMessages[maxPriority + 1];
        nonEmpty = new BitSet(maxPriority + 1);
    }

    int maxPriority() {
        return levels.length - 1;
    }

    private ReadyMessages level(QueueEntry e) {
        int p = Math.min(e.priority(), levels.length - 1);
        ReadyMessages l = levels[p];
        if (l == null) {
            l = newLevel.get();
            levels[p] = l;
        }
        nonEmpty.set(p);
        return l;
    }

    @Override
    public void append(QueueEntry e) {
        level(e).append(e);
        size++;
        bytes += e.message().bodySize();
    }

    @Override
    public void requeue(QueueEntry e) {
        level(e).requeue(e);
        size++;
        bytes += e.message().bodySize();
    }

    @Override
    public QueueEntry poll() {
        int p = nonEmpty.previousSetBit(levels.length - 1);
        if (p < 0) {
            return null;
        }
        ReadyMessages l = levels[p];
        QueueEntry e = l.poll();
        if (l.isEmpty()) {
            nonEmpty.clear(p);
        }
        size--;
        bytes -= e.message().bodySize();
        return e;
    }

    @Override
    public QueueEntry peek() {
        int p = nonEmpty.previousSetBit(levels.length - 1);
        return p < 0 ? null : levels[p].peek();
    }

    @Override
    public void remove(QueueEntry e) {
        int p = Math.min(e.priority(), levels.length - 1);
        ReadyMessages l = levels[p];
        l.remove(e);
        if (l.isEmpty()) {
            nonEmpty.clear(p);
        }
        size--;
        bytes -= e.message().bodySize();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public long nextPagedExpiry() {
        long t = QueueEntry.NO_EXPIRY;
        for (int p = nonEmpty.nextSetBit(0); p >= 0; p = nonEmpty.nextSetBit(p + 1)) {
            t = Math.min(t, levels[p].nextPagedExpiry());
        }
        return t;
    }

    @Override
    public long pagedExpiredSeq(long now) {
        long seq = Long.MAX_VALUE;
        for (int p = nonEmpty.nextSetBit(0); p >= 0; p = nonEmpty.nextSetBit(p + 1)) {
            seq = Math.min(seq, levels[p].pagedExpiredSeq(now));
        }
        return seq;
    }

    @Override
    public QueueEntry pollPagedExpired(long now) {
        int best = -1;
        long seq = Long.MAX_VALUE;
        for (int p = nonEmpty.nextSetBit(0); p >= 0; p = nonEmpty.nextSetBit(p + 1)) {
            long s = levels[p].pagedExpiredSeq(now);
            if (s < seq) {
                seq = s;
                best = p;
            }
        }
        if (best < 0) {
            return null;
        }
        ReadyMessages l = levels[best];
        QueueEntry e = l.pollPagedExpired(now);
        if (l.isEmpty()) {
            nonEmpty.clear(best);
        }
        size--;
        bytes -= e.message().bodySize();
        return e;
    }

    @Override
    public int pagedCount() {
        int n = 0;
        for (ReadyMessages l : levels) {
            n += l == null ? 0 : l.pagedCount();
        }
        return n;
    }

    @Override
    public long pagedBytes() {
        long n = 0;
        for (ReadyMessages l : levels) {
            n += l == null ? 0 : l.pagedBytes();
        }
        return n;
    }

    @Override
    public void pageOut() {
        for (int p = nonEmpty.nextSetBit(0); p >= 0; p = nonEmpty.nextSetBit(p + 1)) {
            levels[p].pageOut();
        }
    }

    @Override
    public int clear() {
        int n = size;
        for (ReadyMessages l : levels) {
            if (l != null) {
                l.clear();
            }
        }
        nonEmpty.clear();
        size = 0;
        bytes = 0;
        return n;
    }
}
