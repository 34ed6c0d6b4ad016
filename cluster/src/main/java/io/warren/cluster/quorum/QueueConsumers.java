package io.warren.cluster.quorum;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Who holds a quorum queue's messages: its consumers and basic.get callers, and which consumer
 * the next ready message goes to. A consumer of a higher x-priority goes first; consumers of equal
 * priority take turns (the one just given a message moves to the end). With single active consumer
 * only the earliest consumer still subscribed receives; when it leaves, the next in subscription
 * order takes over. Part of {@link QueueState}: deterministic, on the apply thread only.
 */
final class QueueConsumers {
    /** A consumer, or a basic.get caller holding unacknowledged messages (never active). */
    static final class Holder {
        final String key;
        int prefetch;
        int priority;
        /** Subscription order: single active consumer hands over to the lowest. */
        long seq;
        boolean active;
        final LinkedHashMap<Long, QueueState.Msg> out = new LinkedHashMap<>();

        Holder(String key) {
            this.key = key;
        }

        boolean hasCredit() {
            return active && (prefetch == 0 || out.size() < prefetch);
        }
    }

    /** In round-robin order: a consumer that was just given a message moves to the end. */
    private final LinkedHashMap<String, Holder> holders = new LinkedHashMap<>();
    private long nextSeq;

    Holder get(String key) {
        return holders.get(key);
    }

    /** The holder for {@code key}, added (inactive) if new: a basic.get caller. */
    Holder holder(String key) {
        return holders.computeIfAbsent(key, this::newHolder);
    }

    private Holder newHolder(String key) {
        Holder h = new Holder(key);
        h.seq = nextSeq++;
        return h;
    }

    /** A consumer subscribes, or changes its prefetch; it keeps its place in subscription order. */
    void checkout(String key, int prefetch, int priority) {
        Holder h = holder(key);
        if (!h.active) {
            h.seq = nextSeq++; // a basic.get holder that subscribes joins at the end
        }
        h.active = true;
        h.prefetch = Math.max(0, prefetch);
        h.priority = priority;
    }

    Holder remove(String key) {
        return holders.remove(key);
    }

    /** Removes and returns the holders whose key starts with {@code prefix} (a node's consumers). */
    List<Holder> removeStartingWith(String prefix) {
        List<Holder> out = new ArrayList<>();
        for (Iterator<Holder> it = holders.values().iterator(); it.hasNext(); ) {
            Holder h = it.next();
            if (h.key.startsWith(prefix)) {
                it.remove();
                out.add(h);
            }
        }
        return out;
    }

    void forgetIfIdle(Holder h) {
        if (!h.active && h.out.isEmpty()) {
            holders.remove(h.key);
        }
    }

    /** The consumer the next ready message goes to, or null if none has credit. */
    Holder next(boolean singleActive) {
        if (singleActive) {
            Holder sac = singleActive();
            return sac != null && sac.hasCredit() ? sac : null;
        }
        Holder to = null;
        for (Holder h : holders.values()) {
            if (h.hasCredit() && (to == null || h.priority > to.priority)) {
                to = h;
            }
        }
        return to;
    }

    /** {@code h} was just given a message: to the end of its round. */
    void delivered(Holder h) {
        holders.remove(h.key);
        holders.put(h.key, h);
    }

    /** The earliest subscribed consumer: the one active consumer when single active consumer is on. */
    Holder singleActive() {
        Holder first = null;
        for (Holder h : holders.values()) {
            if (h.active && (first == null || h.seq < first.seq)) {
                first = h;
            }
        }
        return first;
    }

    int activeCount() {
        int n = 0;
        for (Holder h : holders.values()) {
            if (h.active) {
                n++;
            }
        }
        return n;
    }

    Collection<Holder> all() {
        return holders.values();
    }

    int size() {
        return holders.size();
    }

    /** Restores a holder from a snapshot, in the snapshot's (round-robin) order. */
    void restore(Holder h) {
        holders.put(h.key, h);
        nextSeq = Math.max(nextSeq, h.seq + 1);
    }

    /** For snapshots of the first format, which had no subscription order: the order they come in. */
    long assignSeq() {
        return nextSeq++;
    }

    void clear() {
        holders.clear();
        nextSeq = 0;
    }
}
