package io.warren.broker.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The FIFO ready list and the priority ready list: order, requeue to the original position, removal, counts. */
class ReadyListTest {
    private long seq;

    private QueueEntry entry(int priority, int bodySize) {
        QueueEntry e = new QueueEntry(new Message("", "k", new byte[]{0, 0}, new byte[bodySize]), seq++);
        e.priority(priority);
        return e;
    }

    private static List<QueueEntry> drain(ReadyMessages r) {
        List<QueueEntry> out = new ArrayList<>();
        for (QueueEntry e; (e = r.poll()) != null; ) {
            out.add(e);
        }
        return out;
    }

    @Test
    void requeuedEntriesComeBackAtTheirOriginalPosition() {
        ReadyList r = new ReadyList();
        QueueEntry a = entry(0, 1);
        QueueEntry b = entry(0, 1);
        QueueEntry c = entry(0, 1);
        QueueEntry d = entry(0, 1);
        r.append(a);
        r.append(b);
        r.append(c);
        r.append(d);
        assertSame(a, r.poll());
        assertSame(b, r.poll());
        assertSame(c, r.poll());
        r.requeue(c);
        r.requeue(a);
        assertSame(a, r.peek());
        assertEquals(List.of(a, c, d), drain(r));
    }

    @Test
    void removalFromTheMiddleLeavesATombstoneThatIsSkipped() {
        ReadyList r = new ReadyList();
        QueueEntry a = entry(0, 10);
        QueueEntry b = entry(0, 20);
        QueueEntry c = entry(0, 30);
        r.append(a);
        r.append(b);
        r.append(c);
        r.remove(b);
        assertEquals(2, r.size());
        assertEquals(40, r.bytes());
        r.remove(a); // the head goes at once
        assertSame(c, r.peek());
        assertEquals(List.of(c), drain(r));
        assertEquals(0, r.size());
        assertEquals(0, r.bytes());
        assertNull(r.peek());
    }

    @Test
    void removingARequeuedEntryTakesItFromTheSideMap() {
        ReadyList r = new ReadyList();
        QueueEntry a = entry(0, 1);
        QueueEntry b = entry(0, 1);
        r.append(a);
        r.append(b);
        assertSame(a, r.poll());
        r.requeue(a);
        r.remove(a);
        assertEquals(List.of(b), drain(r));
    }

    @Test
    void manyTombstonesAreCompactedAndCountsStayRight() {
        ReadyList r = new ReadyList();
        List<QueueEntry> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            QueueEntry e = entry(0, 3);
            all.add(e);
            r.append(e);
        }
        List<QueueEntry> kept = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (i % 10 == 0) {
                kept.add(all.get(i));
            } else {
                r.remove(all.get(i));
            }
        }
        assertEquals(kept.size(), r.size());
        assertEquals(3L * kept.size(), r.bytes());
        assertEquals(kept, drain(r));
    }

    @Test
    void higherPriorityFirstFifoWithinAndCappedAtTheMaximum() {
        PriorityReadyList r = new PriorityReadyList(5, ReadyList::new);
        QueueEntry low1 = entry(1, 1);
        QueueEntry top = entry(9, 1);      // above the maximum: counts as 5
        QueueEntry mid = entry(3, 1);
        QueueEntry five = entry(5, 1);     // same level as top, published later
        QueueEntry low2 = entry(1, 1);
        QueueEntry zero = entry(0, 1);
        for (QueueEntry e : List.of(low1, top, mid, five, low2, zero)) {
            r.append(e);
        }
        assertEquals(6, r.size());
        assertSame(top, r.peek());
        assertEquals(List.of(top, five, mid, low1, low2, zero), drain(r));
        assertEquals(0, r.bytes());
    }

    @Test
    void priorityRequeueKeepsThePositionWithinItsLevel() {
        PriorityReadyList r = new PriorityReadyList(10, ReadyList::new);
        QueueEntry h1 = entry(7, 1);
        QueueEntry h2 = entry(7, 1);
        QueueEntry h3 = entry(7, 1);
        QueueEntry l1 = entry(2, 1);
        for (QueueEntry e : List.of(h1, h2, l1, h3)) {
            r.append(e);
        }
        assertSame(h1, r.poll());
        assertSame(h2, r.poll());
        r.requeue(h2);
        QueueEntry h4 = entry(7, 1);
        r.append(h4);
        r.remove(h3);
        assertEquals(List.of(h2, h4, l1), drain(r));
    }

    /** The priority list against a simple model: stable sort by capped priority, then sequence. */
    @Test
    void priorityListMatchesAModelUnderRandomOperations() {
        Random rnd = new Random(7);
        PriorityReadyList r = new PriorityReadyList(4, ReadyList::new);
        List<QueueEntry> model = new ArrayList<>();
        List<QueueEntry> out = new ArrayList<>();
        for (int step = 0; step < 5000; step++) {
            int op = rnd.nextInt(10);
            if (op < 5) {
                QueueEntry e = entry(rnd.nextInt(8), 1 + rnd.nextInt(5));
                r.append(e);
                model.add(e);
            } else if (op < 7 && !model.isEmpty()) {
                QueueEntry e = model.remove(rnd.nextInt(model.size()));
                r.remove(e);
            } else if (op < 9) {
                model.sort((a, b) -> Math.min(a.priority(), 4) != Math.min(b.priority(), 4)
                        ? Math.min(b.priority(), 4) - Math.min(a.priority(), 4) : Long.compare(a.seq(), b.seq()));
                QueueEntry e = r.poll();
                assertSame(model.isEmpty() ? null : model.remove(0), e);
                if (e != null) {
                    out.add(e);
                }
            } else if (!out.isEmpty()) {
                QueueEntry e = out.remove(rnd.nextInt(out.size()));
                r.requeue(e);
                model.add(e);
            }
            assertEquals(model.size(), r.size());
            assertEquals(model.stream().mapToLong(e -> e.message().bodySize()).sum(), r.bytes());
        }
    }
}
