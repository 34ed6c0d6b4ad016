package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Helpers shared by the table tests. Destinations are plain queue names. */
final class Fixtures {

    private Fixtures() {
    }

    /** A field table in the given order; values may be null (void). */
    static Map<String, Object> table(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /**
     * Routes into a List, so that a destination emitted twice would show up twice, and checks that it did
     * not; returns the destinations sorted.
     */
    static Set<String> route(BindingTable<String> table, String key, Map<String, Object> headers) {
        List<String> out = new ArrayList<>();
        table.route(key, headers, out);
        Set<String> sorted = new TreeSet<>(out);
        assertEquals(sorted.size(), out.size(), () -> "duplicate destinations for key '" + key + "': " + out);
        return sorted;
    }

    static Set<String> route(BindingTable<String> table, String key) {
        return route(table, key, null);
    }

    static Set<String> set(String... names) {
        return new TreeSet<>(List.of(names));
    }
}
