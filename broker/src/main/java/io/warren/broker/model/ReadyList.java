package io.warren.broker.model;

import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * The ready messages of one queue, in order. New messages append to a deque (O(1)); requeued
 * messages go to a side map keyed by their original sequence number, so they come out again at
 * their original position: every requeued message was delivered before any still-ready message
 * in the deque, hence it is served first, lowest sequence first.
 */
final class ReadyList {
    private final ArrayDeque<QueueEntry> fresh = new ArrayDeque<>();
    private final TreeMap<Long, QueueEntry> requeued = new TreeMap<>();
    private long bytes;

    void append(QueueEntry e) {
        fresh.addLast(e);
        bytes += e.message().bodySize();
    }

    void requeue(QueueEntry e) {
        requeued.put(e.seq(), e);
        bytes += e.message().bodySize();
    }

    QueueEntry poll() {
        QueueEntry e;
        if (!requeued.isEmpty()) {
            e = requeued.pollFirstEntry().getValue();
        } else {
            e = fresh.pollFirst();
        }
        if (e != null) {
            bytes -= e.message().bodySize();
        }
        return e;
    }

    int size() {
        return fresh.size() + requeued.size();
    }

    boolean isEmpty() {
        return fresh.isEmpty() && requeued.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    int clear() {
        int n = size();
        fresh.clear();
        requeued.clear();
        bytes = 0;
        return n;
    }
}
