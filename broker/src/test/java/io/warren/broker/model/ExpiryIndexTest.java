package io.warren.broker.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpiryIndexTest {
    private static long seq;

    static QueueEntry entry(long expiresAt) {
        QueueEntry e = new QueueEntry(new Message("", "k", new byte[]{0, 0}, new byte[0]), seq++);
        e.expiresAt(expiresAt);
        return e;
    }

    @Test
    void pollsOnlyWhatHasExpiredInDeadlineOrder() {
        ExpiryIndex idx = new ExpiryIndex();
        QueueEntry late = entry(300);
        QueueEntry early = entry(100);
        QueueEntry mid = entry(200);
        idx.add(late);
        idx.add(early);
        idx.add(mid);
        assertEquals(100, idx.nextExpiry());
        assertNull(idx.pollExpired(99));
        assertSame(early, idx.pollExpired(100), "due at its deadline");
        assertSame(mid, idx.pollExpired(250));
        assertNull(idx.pollExpired(250));
        assertEquals(1, idx.size());
        assertEquals(-1, early.heapIndex, "a polled entry leaves no slot behind");
    }

    @Test
    void equalDeadlinesLeaveInQueueOrder() {
        ExpiryIndex idx = new ExpiryIndex();
        List<QueueEntry> in = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            in.add(entry(500));
        }
        for (int i = in.size() - 1; i >= 0; i--) {
            idx.add(in.get(i));
        }
        for (QueueEntry e : in) {
            assertSame(e, idx.pollExpired(500));
        }
        assertTrue(idx.isEmpty());
        assertEquals(QueueEntry.NO_EXPIRY, idx.nextExpiry());
    }

    @Test
    void removesFromTheMiddleAndTolaratesEntriesNotInIt() {
        ExpiryIndex idx = new ExpiryIndex();
        QueueEntry a = entry(1);
        QueueEntry b = entry(2);
        QueueEntry c = entry(3);
        idx.add(a);
        idx.add(b);
        idx.add(c);
        idx.remove(b);
        assertFalse(idx.contains(b));
        idx.remove(b); // no-op
        idx.remove(entry(7)); // never added: no-op
        assertSame(a, idx.pollExpired(10));
        assertSame(c, idx.pollExpired(10));
        assertTrue(idx.isEmpty());
    }

    /** Random adds, removals and polls against a sorted model; the heap invariant must hold throughout. */
    @Test
    void matchesASortedModelUnderRandomOperations() {
        Random rnd = new Random(42);
        ExpiryIndex idx = new ExpiryIndex();
        TreeMap<String, QueueEntry> model = new TreeMap<>();
        List<QueueEntry> live = new ArrayList<>();
        Set<QueueEntry> seen = new HashSet<>();
        for (int step = 0; step < 20_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 5 || live.isEmpty()) {
                QueueEntry e = entry(rnd.nextInt(1000));
                idx.add(e);
                live.add(e);
                model.put(key(e), e);
            } else if (op < 8) {
                QueueEntry e = live.remove(rnd.nextInt(live.size()));
                idx.remove(e);
                model.remove(key(e));
            } else {
                long now = rnd.nextInt(1000);
                QueueEntry e = idx.pollExpired(now);
                QueueEntry expected = model.isEmpty() || model.firstEntry().getValue().expiresAt() > now
                        ? null : model.firstEntry().getValue();
                assertSame(expected, e);
                if (e != null) {
                    model.remove(key(e));
                    live.remove(e);
                    assertTrue(seen.add(e), "polled twice");
                }
            }
            assertEquals(model.size(), idx.size());
            assertEquals(model.isEmpty() ? QueueEntry.NO_EXPIRY : model.firstEntry().getValue().expiresAt(),
                    idx.nextExpiry());
        }
        for (QueueEntry e : live) {
            assertTrue(idx.contains(e));
        }
    }

    private static String key(QueueEntry e) {
        return String.format("%020d/%020d", e.expiresAt(), e.seq());
    }
}
