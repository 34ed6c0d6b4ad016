package io.warren.routing;

import static io.warren.routing.Fixtures.route;
import static io.warren.routing.Fixtures.set;
import static io.warren.routing.Fixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FanoutBindingTableTest {

    private final BindingTable<String> t = BindingTables.create(ExchangeType.FANOUT);

    @Test
    void everyDestinationGetsEveryMessageOnce() {
        t.add("", null, "q1");
        t.add("ignored", null, "q2");
        t.add("another", table("a", 1), "q1"); // q1 bound twice
        assertEquals(3, t.size());
        assertEquals(set("q1", "q2"), route(t, ""));
        assertEquals(set("q1", "q2"), route(t, "anything.at.all", table("x", 1)));
        assertEquals(set("q1", "q2"), route(t, null));
    }

    @Test
    void destinationStaysUntilItsLastBindingGoes() {
        t.add("a", null, "q1");
        t.add("b", null, "q1");
        t.add("a", null, "q2");
        assertTrue(t.remove("a", null, "q1"));
        assertEquals(set("q1", "q2"), route(t, "x"));
        assertTrue(t.remove("b", null, "q1"));
        assertEquals(set("q2"), route(t, "x"));
        assertEquals(1, t.removeDestination("q2"));
        assertEquals(set(), route(t, "x"));
    }

    @Test
    void largeFanoutSurvivesChurn() {
        for (int i = 0; i < 2000; i++) {
            t.add("", null, "q" + i);
        }
        for (int i = 0; i < 2000; i += 3) {
            assertEquals(1, t.removeDestination("q" + i));
        }
        assertEquals(2000 - 667, route(t, "").size());
        assertTrue(route(t, "").contains("q1"));
        assertTrue(!route(t, "").contains("q3"));
    }
}
