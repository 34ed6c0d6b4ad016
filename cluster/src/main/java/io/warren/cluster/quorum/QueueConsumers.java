package io.warren.cluster.quorum;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
 * order takes over.
 *
 * <p>A consumer's registration (its key names the node that delivers to it) changes when its node's
 * role in the group changes, but the consumer keeps its place in the subscription order, as
 * RabbitMQ's consumers do across membership changes: every registration of one consumer carries
 * the same {@code place}, a registration that moves away is detached keeping its place (it receives
 * nothing meanwhile, and with single active consumer nobody else receives instead), and the next
 * registration under that place takes its seq (see {@link #checkout}). A place whose consumer never
 * arrives (its node died during the move) is given up {@link #MOVE_MILLIS} later, by the leader's clock.
 * Part of {@link QueueState}: deterministic, on the apply thread only.
 */
final class QueueConsumers {
    /** How long a moving consumer's place is kept for its next registration (a move takes a link round trip). */
    static final long MOVE_MILLIS = 10_000;
    /** {@link Holder#movingUntil} of a holder that is not moving. */
    private static final long NOT_MOVING = Long.MIN_VALUE;

    /** A consumer, or a basic.get caller holding unacknowledged messages (never active). */
    static final class Holder {
        final String key;
        int prefetch;
        int priority;
        /** Subscription order: single active consumer hands over to the lowest. */
        long seq;
        boolean active;
        /** The consumer's id across its registrations ("": none); see the class comment. */
        String place = "";
        /** While its consumer moves to another registration: until when (leader time) its place is kept. */
        long movingUntil = NOT_MOVING;
        final LinkedHashMap<Long, QueueState.Msg> out = new LinkedHashMap<>();

        Holder(String key) {
            this.key = key;
        }

        boolean hasCredit() {
            return active && (prefetch == 0 || out.size() < prefetch);
        }

        boolean moving() {
            return movingUntil != NOT_MOVING;
        }

        /** Subscribed, or keeping its place while it moves: it counts in the subscription order. */
        boolean placed() {
            return active || moving();
        }
    }

    /** In round-robin order: a consumer that was just given a message moves to the end. */
    private final LinkedHashMap<String, Holder> holders = new LinkedHashMap<>();
    /** The holders keeping a place while they move (few, usually none: checked on every command). */
    private final java.util.LinkedHashSet<Holder> moving = new java.util.LinkedHashSet<>();
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

    /**
     * A consumer subscribes, or changes its prefetch; it keeps its place in subscription order. A new
     * registration of a consumer whose earlier one is still placed (moving, or not yet detached:
     * commands from two nodes) takes that one's seq, and the earlier one receives no more.
     */
    void checkout(String key, int prefetch, int priority, String place) {
        Holder h = holder(key);
        if (!h.placed()) {
            Holder earlier = place.isEmpty() ? null : placedUnder(place, h);
            if (earlier != null) {
                h.seq = earlier.seq;
                earlier.active = false;
                earlier.place = ""; // its own later Detach or Cancel no longer concerns the place
                movingUntil(earlier, NOT_MOVING);
                forgetIfIdle(earlier);
            } else {
                h.seq = nextSeq++; // a basic.get holder that subscribes joins at the end
            }
        }
        if (!place.isEmpty()) {
            h.place = place;
        }
        movingUntil(h, NOT_MOVING);
        h.active = true;
        h.prefetch = Math.max(0, prefetch);
        h.priority = priority;
    }

    private Holder placedUnder(String place, Holder besides) {
        for (Holder h : holders.values()) {
            if (h != besides && h.placed() && place.equals(h.place)) {
                return h;
            }
        }
        return null;
    }

    /**
     * The holder's registration ends: it receives no more. With {@code keepPlace} an active one with a
     * place keeps it until {@code until} (leader time) for its consumer's next registration.
     */
    void deactivate(Holder h, boolean keepPlace, long until) {
        if (keepPlace && h.active && !h.place.isEmpty()) {
            movingUntil(h, until);
        } else if (!keepPlace) {
            movingUntil(h, NOT_MOVING); // cancelled while it moved: the place goes with it
        }
        h.active = false;
    }

    private void movingUntil(Holder h, long until) {
        h.movingUntil = until;
        if (until == NOT_MOVING) {
            moving.remove(h);
        } else {
            moving.add(h);
        }
    }

    /** Gives up the places kept longer than until {@code now} (their consumers never came); true if any. */
    boolean endMovesDue(long now) {
        if (moving.isEmpty()) {
            return false;
        }
        List<Holder> due = null;
        for (Holder h : moving) {
            if (h.movingUntil < now) {
                due = due == null ? new ArrayList<>() : due;
                due.add(h);
            }
        }
        if (due == null) {
            return false;
        }
        for (Holder h : due) {
            movingUntil(h, NOT_MOVING);
            forgetIfIdle(h);
        }
        return true;
    }

    /** The earliest time a kept place is given up ({@link QueueState#NEVER}: none is kept). */
    long nextMoveDue() {
        long due = QueueState.NEVER;
        for (Holder h : moving) {
            due = Math.min(due, h.movingUntil);
        }
        return due;
    }

    Holder remove(String key) {
        Holder h = holders.remove(key);
        if (h != null) {
            moving.remove(h);
        }
        return h;
    }

    /** Removes and returns the holders whose key starts with {@code prefix} (a node's consumers). */
    List<Holder> removeStartingWith(String prefix) {
        List<Holder> out = new ArrayList<>();
        for (Iterator<Holder> it = holders.values().iterator(); it.hasNext(); ) {
            Holder h = it.next();
            if (h.key.startsWith(prefix)) {
                it.remove();
                moving.remove(h);
                out.add(h);
            }
        }
        return out;
    }

    void forgetIfIdle(Holder h) {
        if (!h.placed() && h.out.isEmpty()) {
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

    /**
     * The earliest subscribed consumer: the one active consumer when single active consumer is on. It
     * may be moving: then nobody receives until it arrives (or its place is given up).
     */
    Holder singleActive() {
        Holder first = null;
        for (Holder h : holders.values()) {
            if (h.placed() && (first == null || h.seq < first.seq)) {
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

    /** Whether any consumer is subscribed or moving (x-expires does not run meanwhile). */
    boolean inUse() {
        for (Holder h : holders.values()) {
            if (h.placed()) {
                return true;
            }
        }
        return false;
    }

    Collection<Holder> all() {
        return holders.values();
    }

    int size() {
        return holders.size();
    }

    /** The holders for a snapshot, in round-robin order (see {@link #read}). */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(holders.size());
        for (Holder h : holders.values()) {
            out.writeUTF(h.key);
            out.writeInt(h.prefetch);
            out.writeBoolean(h.active);
            out.writeInt(h.priority);
            out.writeLong(h.seq);
            out.writeUTF(h.place);
            out.writeLong(h.movingUntil);
            QueueState.writeMsgs(out, h.out.values());
        }
    }

    /**
     * Replaces the holders with a snapshot's, written by {@link #write} ({@code version} 4) or before:
     * version 3 had no places, versions 1 and 2 no priorities nor subscription order (the order they
     * come in then). Their messages are added to {@code live}.
     */
    void read(DataInputStream in, int version, LiveIndexes live) throws IOException {
        clear();
        boolean old = version < 3;
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Holder h = new Holder(in.readUTF());
            h.prefetch = in.readInt();
            h.active = in.readBoolean();
            h.priority = old ? 0 : in.readInt();
            h.seq = old ? nextSeq : in.readLong();
            if (version >= 4) {
                h.place = in.readUTF();
                movingUntil(h, in.readLong());
            }
            for (QueueState.Msg m : QueueState.readMsgs(in, old)) {
                h.out.put(m.id, m);
                live.add(m.id);
            }
            holders.put(h.key, h);
            nextSeq = Math.max(nextSeq, h.seq + 1);
        }
    }

    void clear() {
        holders.clear();
        moving.clear();
        nextSeq = 0;
    }
}
