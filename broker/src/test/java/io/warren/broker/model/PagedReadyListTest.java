package io.warren.broker.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The durable queue's ready list: messages the store has leave the heap (paged) once the head window
 * is full, come back as body-less entries in their original order, and nothing is lost or reordered
 * by requeues, expiring entries or interleaved appends and polls.
 */
class PagedReadyListTest {
    private static final byte[] PERSISTENT = {0x10, 0x00, 2}; // delivery-mode 2
    private static final BodyReader NO_BODIES = (location, executor, done) -> done.accept(null, new IllegalStateException());
    private long seq;
    private long nextStoreId = 1;

    private QueueEntry entry(int bodySize) {
        QueueEntry e = new QueueEntry(new Message("ex", "rk", PERSISTENT, new byte[bodySize]), seq++);
        e.message().storeId(nextStoreId++);
        return e;
    }

    private static void store(QueueEntry e) {
        e.message().stored(1000 + e.message().storeId(), NO_BODIES);
    }

    @Test
    void storedMessagesBeyondTheHeadWindowArePagedAndComeBackInOrderWithoutBodies() {
        PagedReadyList r = new PagedReadyList();
        int n = PagedReadyList.HEAD_WINDOW + 5000;
        List<QueueEntry> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            QueueEntry e = entry(i % 7);
            all.add(e);
            r.append(e);
        }
        assertEquals(0, r.pagedCount(), "nothing is on disk yet, so nothing is paged");
        assertEquals(n, r.size());
        for (QueueEntry e : all) {
            store(e);
        }
        r.pageOut();
        assertEquals(5000, r.pagedCount());
        long bytes = all.stream().mapToLong(e -> e.message().bodySize()).sum();
        assertEquals(bytes, r.bytes());

        for (int i = 0; i < n; i++) {
            QueueEntry want = all.get(i);
            QueueEntry got = r.poll();
            assertEquals(want.seq(), got.seq(), "position " + i);
            Message m = got.message();
            assertEquals(want.message().storeId(), m.storeId());
            assertEquals(want.message().location(), m.location());
            assertEquals(want.message().bodySize(), m.bodySize());
            assertEquals("ex", m.exchange());
            assertEquals("rk", m.routingKey());
            assertArrayEquals(PERSISTENT, m.rawProperties());
            assertEquals(i < PagedReadyList.HEAD_WINDOW, m.bodyLoaded(), "only the head window keeps bodies");
        }
        assertNull(r.poll());
        assertEquals(0, r.size());
        assertEquals(0, r.bytes());
    }

    @Test
    void peekAndPollReturnTheSameMaterializedEntry() {
        PagedReadyList r = new PagedReadyList();
        for (int i = 0; i < PagedReadyList.HEAD_WINDOW + 3; i++) {
            QueueEntry e = entry(1);
            store(e);
            r.append(e);
        }
        for (int i = 0; i < PagedReadyList.HEAD_WINDOW; i++) {
            r.poll();
        }
        QueueEntry peeked = r.peek();
        assertSame(peeked, r.peek());
        assertSame(peeked, r.poll());
        assertNotSame(peeked, r.peek());
    }

    @Test
    void unstoredMessagesStayWholeAndExpiringOnesArePagedWithTheirDeadline() {
        List<QueueEntry> pagedOut = new ArrayList<>();
        PagedReadyList r = new PagedReadyList(pagedOut::add);
        for (int i = 0; i < PagedReadyList.HEAD_WINDOW; i++) {
            QueueEntry e = entry(1);
            store(e);
            r.append(e);
        }
        QueueEntry a = entry(1);
        QueueEntry b = entry(1); // not on disk yet: blocks paging behind it
        QueueEntry c = entry(1);
        long deadline = System.currentTimeMillis() + 60_000;
        a.expiresAt(deadline);
        store(a);
        store(c);
        r.append(a);
        r.append(b);
        r.append(c);
        assertEquals(List.of(a), pagedOut, "the queue hears of each paged entry (it stops tracking its expiry)");
        assertEquals(deadline, r.nextPagedExpiry());
        assertNull(r.pollPagedExpired(deadline - 1));
        r.remove(b); // b expired early while whole (the queue's expiry index took it out)
        r.pageOut();
        assertEquals(List.of(a, c), pagedOut, "a removed entry no longer blocks paging");
        QueueEntry expired = r.pollPagedExpired(deadline);
        assertEquals(a.seq(), expired.seq());
        assertEquals(deadline, expired.expiresAt(), "the deadline comes back with the entry");
        assertEquals(QueueEntry.NO_EXPIRY, r.nextPagedExpiry());
        assertEquals(PagedReadyList.HEAD_WINDOW + 1, r.size());
        for (int i = 0; i < PagedReadyList.HEAD_WINDOW; i++) {
            r.poll();
        }
        assertEquals(c.seq(), r.poll().seq());
        assertNull(r.poll());
    }

    /** Random appends, store completions, polls, requeues and removals against a simple model. */
    @Test
    void randomOperationsMatchAPlainOrderedModel() {
        Random rnd = new Random(42);
        java.util.Set<QueueEntry> paged = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        PagedReadyList r = new PagedReadyList(paged::add);
        java.util.TreeMap<Long, QueueEntry> model = new java.util.TreeMap<>(); // ready, by seq
        List<QueueEntry> unstored = new ArrayList<>();
        List<QueueEntry> delivered = new ArrayList<>();
        for (int step = 0; step < 40_000; step++) {
            int op = rnd.nextInt(100);
            if (op < 45) {
                QueueEntry e = entry(rnd.nextInt(10));
                if (rnd.nextInt(20) == 0) {
                    e.expiresAt(Long.MAX_VALUE - 1); // expiring (never in practice): stays whole
                }
                unstored.add(e);
                r.append(e);
                model.put(e.seq(), e);
            } else if (op < 60) {
                for (QueueEntry e : unstored) {
                    store(e);
                }
                unstored.clear();
                r.pageOut();
            } else if (op < 90) {
                QueueEntry e = r.poll();
                if (model.isEmpty()) {
                    assertNull(e);
                } else {
                    assertEquals(model.firstKey(), e.seq(), "step " + step);
                    model.pollFirstEntry();
                    delivered.add(e);
                }
            } else if (op < 97 && !delivered.isEmpty()) {
                QueueEntry e = delivered.remove(rnd.nextInt(delivered.size()));
                e.markRedelivered();
                r.requeue(e);
                model.put(e.seq(), e);
            } else {
                // an expiring ready entry leaves early, wherever it is
                QueueEntry victim = null;
                for (QueueEntry e : model.values()) {
                    if (e.expiresAt() != QueueEntry.NO_EXPIRY && !e.isRemoved() && !paged.contains(e)) {
                        victim = e;
                        break;
                    }
                }
                if (victim != null && !paged.contains(victim)) {
                    r.remove(victim);
                    model.remove(victim.seq());
                }
            }
            assertEquals(model.size(), r.size(), "size at step " + step);
        }
        while (!model.isEmpty()) {
            assertEquals(model.pollFirstEntry().getKey(), r.poll().seq());
        }
        assertNull(r.poll());
    }
}
