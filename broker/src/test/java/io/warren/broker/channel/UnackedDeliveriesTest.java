package io.warren.broker.channel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnackedDeliveriesTest {
    private static Delivery d(long tag) {
        return new Delivery(tag, null, null, null);
    }

    @Test
    void removesSingleTagsOutOfOrderAndKeepsTheRest() {
        UnackedDeliveries u = new UnackedDeliveries();
        for (long t = 1; t <= 10; t++) {
            u.add(d(t));
        }
        assertEquals(5, u.remove(5).tag());
        assertNull(u.remove(5), "a tag can be settled only once");
        assertEquals(1, u.remove(1).tag());
        assertFalse(u.contains(1));
        assertTrue(u.contains(2));
        assertEquals(8, u.size());
        List<Long> got = new ArrayList<>();
        assertEquals(4, u.removeUpTo(6, x -> got.add(x.tag())));
        assertEquals(List.of(2L, 3L, 4L, 6L), got);
        assertEquals(List.of(7L, 8L, 9L, 10L), u.drain().stream().map(Delivery::tag).toList());
        assertEquals(0, u.size());
    }

    @Test
    void matchesASortedSetUnderRandomOperationsAcrossGrowth() {
        Random r = new Random(42);
        UnackedDeliveries u = new UnackedDeliveries();
        TreeSet<Long> model = new TreeSet<>();
        long next = 1;
        for (int i = 0; i < 20000; i++) {
            int op = r.nextInt(10);
            if (op < 6) {
                u.add(d(next));
                model.add(next++);
            } else if (op < 9) {
                long tag = 1 + (long) r.nextInt((int) next);
                Delivery removed = u.remove(tag);
                assertEquals(model.remove(tag), removed != null, "remove " + tag);
            } else {
                long tag = 1 + (long) r.nextInt((int) next);
                List<Long> got = new ArrayList<>();
                u.removeUpTo(tag, x -> got.add(x.tag()));
                List<Long> expected = new ArrayList<>(model.headSet(tag, true));
                model.headSet(tag, true).clear();
                assertEquals(expected, got);
            }
            assertEquals(model.size(), u.size());
        }
        for (long t = 1; t < next; t++) {
            assertEquals(model.contains(t), u.contains(t), "contains " + t);
        }
    }
}
