package io.warren.broker.model;

import java.util.Arrays;

/**
 * The ready entries that can expire, as a binary min-heap on {@link QueueEntry#expiresAt()} in
 * which every entry knows its own slot ({@code heapIndex}). So the earliest expiry is O(1), and
 * adding, taking out the earliest, and removing any entry (it was delivered) are O(log n) — no
 * scan, and no stale entries left behind by messages consumed before they expired. With one
 * queue-wide TTL entries arrive in expiry order, so an add stops at the first comparison.
 * Ties are broken by sequence number so equal expiries leave in queue order. Used only under
 * the owning queue's lock.
 */
final class ExpiryIndex {
    private QueueEntry[] heap = new QueueEntry[16];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(QueueEntry e) {
        return e.heapIndex >= 0 && e.heapIndex < size && heap[e.heapIndex] == e;
    }

    /** The earliest expiry time, or {@link QueueEntry#NO_EXPIRY} when empty. */
    long nextExpiry() {
        return size == 0 ? QueueEntry.NO_EXPIRY : heap[0].expiresAt();
    }

    void add(QueueEntry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = e;
        e.heapIndex = size;
        size++;
        siftUp(e.heapIndex);
    }

    /** The earliest entry if it expires at or before {@code now}, else null; not removed. */
    QueueEntry peekExpired(long now) {
        return size == 0 || heap[0].expiresAt() > now ? null : heap[0];
    }

    /** Removes and returns the earliest entry if it expires at or before {@code now}, else null. */
    QueueEntry pollExpired(long now) {
        if (size == 0 || heap[0].expiresAt() > now) {
            return null;
        }
        QueueEntry e = heap[0];
        removeAt(0);
        return e;
    }

    /** Takes {@code e} out if it is in the index (no-op otherwise). */
    void remove(QueueEntry e) {
        if (contains(e)) {
            removeAt(e.heapIndex);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
        if (heap.length > 1024) {
            heap = new QueueEntry[16];
        }
    }

    private void removeAt(int i) {
        QueueEntry gone = heap[i];
        gone.heapIndex = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        QueueEntry last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.heapIndex = i;
        if (i > 0 && less(last, heap[(i - 1) >>> 1])) {
            siftUp(i);
        } else {
            siftDown(i);
        }
    }

    private static boolean less(QueueEntry a, QueueEntry b) {
        return a.expiresAt() < b.expiresAt() || (a.expiresAt() == b.expiresAt() && a.seq() < b.seq());
    }

    private void siftUp(int i) {
        QueueEntry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            QueueEntry p = heap[parent];
            if (!less(e, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i) {
        QueueEntry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], e)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
