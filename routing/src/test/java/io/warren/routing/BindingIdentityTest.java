package io.warren.routing;

import static io.warren.routing.Fixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Binding bookkeeping is the same for every exchange type: a binding is (destination, key, arguments), with
 * arguments compared as RabbitMQ compares stored field tables (sorted, typed).
 */
class BindingIdentityTest {

    private static BindingTable<String> newTable(ExchangeType type) {
        return BindingTables.create(type);
    }

    @ParameterizedTest
    @EnumSource(ExchangeType.class)
    void addIsIdempotent(ExchangeType type) {
        BindingTable<String> t = newTable(type);
        assertFalse(t.hasBindings());
        assertTrue(t.add("k", null, "q1"));
        assertFalse(t.add("k", null, "q1"));
        assertFalse(t.add("k", Map.of(), "q1"), "null and empty arguments are the same binding");
        assertEquals(1, t.size());
        assertTrue(t.hasBindings());
        assertTrue(t.hasBindingsTo("q1"));
        assertFalse(t.hasBindingsTo("q2"));
    }

    @ParameterizedTest
    @EnumSource(ExchangeType.class)
    void keyArgumentsAndDestinationEachMakeADifferentBinding(ExchangeType type) {
        BindingTable<String> t = newTable(type);
        assertTrue(t.add("k", null, "q1"));
        assertTrue(t.add("k2", null, "q1"));
        assertTrue(t.add("k", null, "q2"));
        assertTrue(t.add("k", table("a", 1), "q1"));
        assertTrue(t.add("k", table("a", 1L), "q1"), "signed int 1 and long 1 are different arguments");
        assertTrue(t.add("k", table("a", "1"), "q1"));
        assertTrue(t.add("k", table("a", "x".getBytes()), "q1"), "byte array and long string differ in type");
        assertEquals(7, t.size());
    }

    @ParameterizedTest
    @EnumSource(ExchangeType.class)
    void argumentsCompareByContentNotByMapIdentityOrOrder(ExchangeType type) {
        BindingTable<String> t = newTable(type);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("b", new byte[] {1, 2});
        args.put("a", List.of(1, "x"));
        args.put("c", table("n", new BigDecimal("1.5")));
        args.put("v", null);
        assertTrue(t.add("k", args, "q"));

        Map<String, Object> reordered = new HashMap<>();
        reordered.put("v", null);
        reordered.put("c", table("n", new BigDecimal("1.5")));
        reordered.put("a", new ArrayList<>(List.of(1, "x")));
        reordered.put("b", new byte[] {1, 2});
        assertFalse(t.add("k", reordered, "q"));
        assertTrue(t.add("k", table("b", new byte[] {1, 2}, "a", List.of(1, "x"),
                "c", table("n", new BigDecimal("1.50")), "v", null), "q"),
                "decimal 1.5 and 1.50 have different scales, so they are different arguments");
        assertTrue(t.remove("k", reordered, "q"));
        assertEquals(1, t.size());
    }

    @ParameterizedTest
    @EnumSource(ExchangeType.class)
    void removeOnlyExistingBindings(ExchangeType type) {
        BindingTable<String> t = newTable(type);
        t.add("k", table("a", 1), "q");
        assertFalse(t.remove("k", null, "q"));
        assertFalse(t.remove("other", table("a", 1), "q"));
        assertFalse(t.remove("k", table("a", 1), "q2"));
        assertFalse(t.remove("k", table("a", 1L), "q"));
        assertFalse(t.remove("k", table("a", 1), null));
        assertTrue(t.remove("k", table("a", 1), "q"));
        assertFalse(t.remove("k", table("a", 1), "q"));
        assertFalse(t.hasBindings());
        assertEquals(0, t.size());
        assertFalse(t.hasBindingsTo("q"));
    }

    @ParameterizedTest
    @EnumSource(ExchangeType.class)
    void removeDestinationDropsEveryBindingToIt(ExchangeType type) {
        BindingTable<String> t = newTable(type);
        t.add("a", null, "q1");
        t.add("b", null, "q1");
        t.add("a", table("x", 1), "q1");
        t.add("a", null, "q2");
        assertEquals(3, t.removeDestination("q1"));
        assertEquals(0, t.removeDestination("q1"));
        assertEquals(0, t.removeDestination("nobody"));
        assertFalse(t.hasBindingsTo("q1"));
        assertEquals(1, t.size());
        assertEquals(List.of(new Binding<>("a", Map.of(), "q2")), t.bindings());
        // the routing index forgot q1 too
        List<String> out = new ArrayList<>();
        t.route("a", table(), out);
        assertFalse(out.contains("q1"));
    }

    @ParameterizedTest
    @EnumSource(ExchangeType.class)
    void bindingsIsAnOrderedSnapshotWithPrivateArguments(ExchangeType type) {
        BindingTable<String> t = newTable(type);
        Map<String, Object> args = table("x", 1);
        t.add("k1", args, "q1");
        t.add(null, null, "q2");
        args.put("y", 2); // the caller reuses its map: the table must not see it

        List<Binding<String>> snapshot = t.bindings();
        assertEquals(2, snapshot.size());
        assertEquals("k1", snapshot.get(0).bindingKey());
        assertEquals(Map.of("x", 1), snapshot.get(0).arguments());
        assertEquals("q1", snapshot.get(0).destination());
        assertEquals("", snapshot.get(1).bindingKey(), "a null key is stored as the empty key");
        assertEquals(Map.of(), snapshot.get(1).arguments());
        assertThrows(UnsupportedOperationException.class, () -> snapshot.get(0).arguments().put("z", 3));
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(null));

        t.add("k3", null, "q3");
        assertEquals(2, snapshot.size(), "a snapshot does not follow later changes");
        assertTrue(t.remove("k1", table("x", 1), "q1"));
    }

    @ParameterizedTest
    @EnumSource(ExchangeType.class)
    void nullDestinationIsRejected(ExchangeType type) {
        assertThrows(NullPointerException.class, () -> newTable(type).add("k", null, null));
    }

    @ParameterizedTest
    @EnumSource(ExchangeType.class)
    void routingWithNoBindingsAddsNothing(ExchangeType type) {
        List<String> out = new ArrayList<>();
        newTable(type).route("k", null, out);
        newTable(type).route(null, null, out);
        assertTrue(out.isEmpty());
    }
}
