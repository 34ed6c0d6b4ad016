package io.warren.routing;

import static io.warren.routing.Fixtures.route;
import static io.warren.routing.Fixtures.set;
import static io.warren.routing.Fixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectBindingTableTest {

    private final BindingTable<String> t = BindingTables.create(ExchangeType.DIRECT);

    @Test
    void routesOnExactKeyOnly() {
        t.add("orders", null, "q1");
        t.add("orders.eu", null, "q2");
        t.add("Orders", null, "q3");
        assertEquals(set("q1"), route(t, "orders"));
        assertEquals(set("q2"), route(t, "orders.eu"));
        assertEquals(set("q3"), route(t, "Orders"), "keys are case-sensitive");
        assertEquals(set(), route(t, "orders.*"), "no wildcards in a direct exchange");
        assertEquals(set(), route(t, "order"));
        assertEquals(set(), route(t, ""));
    }

    @Test
    void emptyKeyIsAnOrdinaryKey() {
        t.add("", null, "q");
        assertEquals(set("q"), route(t, ""));
        assertEquals(set("q"), route(t, null), "a null routing key is the empty key");
        assertEquals(set(), route(t, "x"));
    }

    @Test
    void severalDestinationsPerKeyAndEachOnce() {
        t.add("k", null, "q1");
        t.add("k", null, "q2");
        t.add("k", table("x-any", 1), "q1"); // same key, different arguments: still one delivery
        t.add("other", null, "q1");
        assertEquals(set("q1", "q2"), route(t, "k"));
        assertTrue(t.remove("k", null, "q1"));
        assertEquals(set("q1", "q2"), route(t, "k"), "q1 is still bound to k with arguments");
        assertTrue(t.remove("k", table("x-any", 1), "q1"));
        assertEquals(set("q2"), route(t, "k"));
        assertEquals(set("q1"), route(t, "other"));
    }

    @Test
    void argumentsAndHeadersPlayNoPartInRouting() {
        t.add("k", table("x-match", "any", "a", 1), "q");
        assertEquals(set("q"), route(t, "k", table("b", 2)));
    }

    @Test
    void setOutputDeduplicatesAcrossCalls() {
        t.add("a", null, "q1");
        t.add("b", null, "q1");
        t.add("b", null, "q2");
        Set<String> out = new HashSet<>();
        t.route("a", null, out);
        t.route("b", null, out); // CC/BCC: the broker routes each key into one set
        assertEquals(set("q1", "q2"), out);
    }

    @Test
    void manyKeysAndRemovals() {
        for (int i = 0; i < 1000; i++) {
            t.add("k" + i, null, "q" + (i % 10));
        }
        for (int i = 0; i < 1000; i += 2) {
            assertTrue(t.remove("k" + i, null, "q" + (i % 10)));
        }
        assertEquals(500, t.size());
        assertEquals(set(), route(t, "k4"));
        assertEquals(set("q5"), route(t, "k5"));
        assertEquals(100, t.removeDestination("q1")); // odd keys only: the even ones are gone
        assertEquals(set(), route(t, "k11"));
    }
}
