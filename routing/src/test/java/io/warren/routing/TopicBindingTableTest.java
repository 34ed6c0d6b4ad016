package io.warren.routing;

import static io.warren.routing.Fixtures.route;
import static io.warren.routing.Fixtures.set;
import static io.warren.routing.Fixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicBindingTableTest {

    // ------------------------------------------------------------------ RabbitMQ's own expectations

    /** The bindings of RabbitMQ's topic trie test (rabbit test suite, test_topic_matching): key, queue. */
    private static final String[][] RABBIT_BINDINGS = {
        {"a.b.c", "t1"}, {"a.*.c", "t2"}, {"a.#.b", "t3"}, {"a.b.b.c", "t4"}, {"#", "t5"}, {"#.#", "t6"},
        {"#.b", "t7"}, {"*.*", "t8"}, {"a.*", "t9"}, {"*.b.c", "t10"}, {"a.#", "t11"}, {"a.#.#", "t12"},
        {"b.b.c", "t13"}, {"a.b.b", "t14"}, {"a.b", "t15"}, {"b.c", "t16"}, {"", "t17"}, {"*.*.*", "t18"},
        {"vodka.martini", "t19"}, {"a.b.c", "t20"}, {"*.#", "t21"}, {"#.*.#", "t22"}, {"*.#.#", "t23"},
        {"#.#.#", "t24"}, {"*", "t25"}, {"#.b.#", "t26"},
    };

    private static Map<String, Set<String>> rabbitExpectationsBeforeRemoval() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("a.b.c", set("t1", "t2", "t5", "t6", "t10", "t11", "t12", "t18", "t20", "t21", "t22", "t23", "t24",
                "t26"));
        m.put("a.b", set("t3", "t5", "t6", "t7", "t8", "t9", "t11", "t12", "t15", "t21", "t22", "t23", "t24",
                "t26"));
        m.put("a.b.b", set("t3", "t5", "t6", "t7", "t11", "t12", "t14", "t18", "t21", "t22", "t23", "t24",
                "t26"));
        m.put("", set("t5", "t6", "t17", "t24"));
        m.put("b.c.c", set("t5", "t6", "t18", "t21", "t22", "t23", "t24", "t26"));
        m.put("a.a.a.a.a", set("t5", "t6", "t11", "t12", "t21", "t22", "t23", "t24"));
        m.put("vodka.gin", set("t5", "t6", "t8", "t21", "t22", "t23", "t24"));
        m.put("vodka.martini", set("t5", "t6", "t8", "t19", "t21", "t22", "t23", "t24"));
        m.put("b.b.c", set("t5", "t6", "t10", "t13", "t18", "t21", "t22", "t23", "t24", "t26"));
        m.put("nothing.here.at.all", set("t5", "t6", "t21", "t22", "t23", "t24"));
        m.put("oneword", set("t5", "t6", "t21", "t22", "t23", "t24", "t25"));
        return m;
    }

    private static Map<String, Set<String>> rabbitExpectationsAfterRemoval() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("a.b.c", set("t2", "t6", "t10", "t12", "t18", "t20", "t22", "t23", "t24", "t26"));
        m.put("a.b", set("t3", "t6", "t7", "t8", "t9", "t12", "t15", "t22", "t23", "t24", "t26"));
        m.put("a.b.b", set("t3", "t6", "t7", "t12", "t14", "t18", "t22", "t23", "t24", "t26"));
        m.put("", set("t6", "t17", "t24"));
        m.put("b.c.c", set("t6", "t18", "t22", "t23", "t24", "t26"));
        m.put("a.a.a.a.a", set("t6", "t12", "t22", "t23", "t24"));
        m.put("vodka.gin", set("t6", "t8", "t22", "t23", "t24"));
        m.put("vodka.martini", set("t6", "t8", "t22", "t23", "t24"));
        m.put("b.b.c", set("t6", "t10", "t13", "t18", "t22", "t23", "t24", "t26"));
        m.put("nothing.here.at.all", set("t6", "t22", "t23", "t24"));
        m.put("oneword", set("t6", "t22", "t23", "t24", "t25"));
        return m;
    }

    @Test
    void rabbitTopicSuite() {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        for (String[] b : RABBIT_BINDINGS) {
            assertTrue(t.add(b[0], null, b[1]));
        }
        rabbitExpectationsBeforeRemoval().forEach((key, expected) -> assertEquals(expected, route(t, key), key));

        // RabbitMQ removes bindings 1, 5, 11, 19 and 21 (1-based) and checks again
        for (int n : new int[] {1, 5, 11, 19, 21}) {
            String[] b = RABBIT_BINDINGS[n - 1];
            assertTrue(t.remove(b[0], null, b[1]));
        }
        rabbitExpectationsAfterRemoval().forEach((key, expected) -> assertEquals(expected, route(t, key), key));

        for (Binding<String> b : t.bindings()) {
            assertTrue(t.remove(b.bindingKey(), b.arguments(), b.destination()));
        }
        assertEquals(set(), route(t, "a.b.c"));
        assertEquals(set(), route(t, "b.b.c"));
        assertEquals(set(), route(t, ""));
    }

    // ------------------------------------------------------------------ observed on RabbitMQ 3.10.8

    /** Patterns bound (each to a queue named after it) on a RabbitMQ 3.10.8 node. */
    private static final List<String> OBSERVED_PATTERNS = List.of("", "#", "*", "#.#", "*.#", "#.*", "a", "a.*",
            "a.#", "#.a", "a.#.b", "a.*.b", "*.*", ".", "*.", ".*", "a.", "#.", ".#", "a..b", "a.#.#.b",
            "#.#.#.#.a", "a#", "*a", "a.#.*", "#.*.#");

    /** Routing key, and the patterns whose queue received the message on that node. */
    static Stream<Arguments> observedOnRabbitMq() {
        return Stream.of(
            Arguments.of("", List.of("", "#", "#.#")),
            Arguments.of(".", List.of("#", "#.#", "*.#", "#.*", "*.*", ".", "*.", ".*", "#.", ".#", "#.*.#")),
            Arguments.of("..", List.of("#", "#.#", "*.#", "#.*", "#.", ".#", "#.*.#")),
            Arguments.of("a", List.of("#", "*", "#.#", "*.#", "#.*", "a", "a.#", "#.a", "#.#.#.#.a", "#.*.#")),
            Arguments.of("a.", List.of("#", "#.#", "*.#", "#.*", "a.*", "a.#", "*.*", "*.", "a.", "#.", "a.#.*",
                    "#.*.#")),
            Arguments.of(".a", List.of("#", "#.#", "*.#", "#.*", "#.a", "*.*", ".*", ".#", "#.#.#.#.a", "#.*.#")),
            Arguments.of("a.b", List.of("#", "#.#", "*.#", "#.*", "a.*", "a.#", "a.#.b", "*.*", "a.#.#.b", "a.#.*",
                    "#.*.#")),
            Arguments.of("a..b", List.of("#", "#.#", "*.#", "#.*", "a.#", "a.#.b", "a.*.b", "a..b", "a.#.#.b",
                    "a.#.*", "#.*.#")),
            Arguments.of("a.x.b", List.of("#", "#.#", "*.#", "#.*", "a.#", "a.#.b", "a.*.b", "a.#.#.b", "a.#.*",
                    "#.*.#")),
            Arguments.of("a.x.y.b", List.of("#", "#.#", "*.#", "#.*", "a.#", "a.#.b", "a.#.#.b", "a.#.*",
                    "#.*.#")),
            Arguments.of("a.b.c", List.of("#", "#.#", "*.#", "#.*", "a.#", "a.#.*", "#.*.#")),
            Arguments.of("b", List.of("#", "*", "#.#", "*.#", "#.*", "#.*.#")),
            Arguments.of("a#", List.of("#", "*", "#.#", "*.#", "#.*", "a#", "#.*.#")),
            Arguments.of("a.a", List.of("#", "#.#", "*.#", "#.*", "a.*", "a.#", "#.a", "*.*", "#.#.#.#.a", "a.#.*",
                    "#.*.#")),
            Arguments.of("x.a", List.of("#", "#.#", "*.#", "#.*", "#.a", "*.*", "#.#.#.#.a", "#.*.#")),
            Arguments.of("a.a.a.a.a", List.of("#", "#.#", "*.#", "#.*", "a.#", "#.a", "#.#.#.#.a", "a.#.*",
                    "#.*.#")));
    }

    @ParameterizedTest(name = "routing key \"{0}\"")
    @MethodSource("observedOnRabbitMq")
    void matchesWhatRabbitMqRouted(String routingKey, List<String> expected) {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        for (String p : OBSERVED_PATTERNS) {
            t.add(p, null, "[" + p + "]");
        }
        Set<String> want = new java.util.TreeSet<>();
        expected.forEach(p -> want.add("[" + p + "]"));
        assertEquals(want, route(t, routingKey));
    }

    // ------------------------------------------------------------------ edge cases, one by one

    static Stream<Arguments> singlePatternCases() {
        return Stream.of(
            // pattern, routing key, matches?
            Arguments.of("#", "", true),
            Arguments.of("#", "a.b.c", true),
            Arguments.of("*", "", false),            // "" has zero words
            Arguments.of("*", ".", false),           // "." has two (empty) words
            Arguments.of("*", "abc", true),
            Arguments.of("", "", true),
            Arguments.of("", ".", false),
            Arguments.of("", "a", false),
            Arguments.of("a.*", "a.", true),         // * matches the empty word
            Arguments.of("a.*", "a", false),
            Arguments.of("a.*.b", "a..b", true),
            Arguments.of("a.*.b", "a.b", false),
            Arguments.of("a.#.b", "a.b", true),      // # matches zero words
            Arguments.of("a.#.b", "a.x.y.z.b", true),
            Arguments.of("a.#.b", "a.b.c", false),
            Arguments.of("#.a", "a", true),
            Arguments.of("#.a", "b.a", true),
            Arguments.of("#.a", "a.b", false),
            Arguments.of("a.#", "a", true),
            Arguments.of("a.#", "a.", true),
            Arguments.of("a.#", "ab", false),
            Arguments.of("#.#", "", true),
            Arguments.of("#.#", "x.y", true),
            Arguments.of("*.#", "", false),
            Arguments.of("#.*", "", false),
            Arguments.of("#.*", ".", true),
            Arguments.of("a..b", "a..b", true),
            Arguments.of("a..b", "a.b", false),
            Arguments.of("abc", "abc", true),
            Arguments.of("abc", "ABC", false),
            Arguments.of("a*", "a*", true),           // * and # inside a word are literal characters
            Arguments.of("a*", "ab", false),
            Arguments.of("#a", "xa", false),
            Arguments.of("#a", "#a", true),
            Arguments.of("*.*", "a.", true),
            Arguments.of("*.*", "a", false),
            Arguments.of("é.*", "é.x", true),
            Arguments.of("*.*.*", "a.b.c", true),
            Arguments.of("*.*.*", "a.b.c.d", false));
    }

    @ParameterizedTest(name = "\"{0}\" vs \"{1}\" -> {2}")
    @MethodSource("singlePatternCases")
    void singlePattern(String pattern, String routingKey, boolean matches) {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        t.add(pattern, null, "q");
        assertEquals(matches ? set("q") : set(), route(t, routingKey));
    }

    @Test
    void nullRoutingKeyIsTheEmptyKey() {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        t.add("", null, "empty");
        t.add("*", null, "star");
        t.add("#", null, "hash");
        assertEquals(set("empty", "hash"), route(t, null));
    }

    @Test
    void maximalRoutingKeyOf255Bytes() {
        String key = "a" + ".a".repeat(127);       // 255 bytes, 128 words
        assertEquals(255, key.length());
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        t.add(key, null, "exact");
        t.add("a" + ".*".repeat(127), null, "stars");
        t.add("a" + ".*".repeat(126), null, "one-short");
        t.add("#.a", null, "hash-a");
        t.add("a.#", null, "a-hash");
        t.add("#.b", null, "hash-b");
        String dots = ".".repeat(255);             // 256 empty words
        t.add("#", null, "all");
        assertEquals(set("exact", "stars", "hash-a", "a-hash", "all"), route(t, key));
        assertEquals(set("all"), route(t, dots));
    }

    @Test
    void manyHashesDoNotBlowUp() {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        t.add("#.#.#.#.a", null, "consecutive");
        t.add("#.a.#.a.#.a.#.a.#.a.#.a.#.b", null, "nested");
        t.add("#.a.#.a.#.a.#.a.#.a.#.a.#.a.#.a.#.a.#.a", null, "nested-match");
        t.add("*.#.*.#.*.#.*.#.*.#.*.#.*.#.c", null, "stars");
        String key = "a" + ".a".repeat(127);
        // a naive backtracking matcher explores C(128, 10)-ish splits here; the memo keeps it polynomial
        Set<String> routed = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> route(t, key));
        assertEquals(set("consecutive", "nested-match"), routed);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 100; i++) {
                route(t, key + ".x");
            }
        });
    }

    @Test
    void destinationMatchedByManyPatternsIsRoutedOnce() {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        t.add("a.*", null, "q");
        t.add("*.b", null, "q");
        t.add("#", null, "q");
        t.add("a.b", null, "q");
        t.add("a.b", table("x", 1), "q");
        t.add("#.b", null, "other");
        t.add("a.#", null, "q2");
        t.add("#.b", null, "q2");
        assertEquals(set("q", "other", "q2"), route(t, "a.b")); // route() checks the list had no duplicates
    }

    @Test
    void deduplicationWorksForEveryKindOfOutputCollection() {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        for (int i = 0; i < 50; i++) { // 50 destinations reachable through four nodes: past the scan limit
            t.add("a.*", null, "q" + i);
            t.add("*.b", null, "q" + i);
            t.add("#", null, "q" + i);
            t.add("a.b", null, "q" + (i + 25));
        }
        java.util.ArrayDeque<String> deque = new java.util.ArrayDeque<>();
        t.route("a.b", null, deque);
        assertEquals(75, deque.size());
        assertEquals(75, new java.util.HashSet<>(deque).size());

        java.util.LinkedList<String> linked = new java.util.LinkedList<>();
        t.route("a.b", null, linked);
        assertEquals(75, new java.util.HashSet<>(linked).size());
        assertEquals(75, linked.size());

        List<String> big = new ArrayList<>();
        t.route("a.b", null, big);
        assertEquals(75, big.size());
        assertEquals(75, new java.util.HashSet<>(big).size());
    }

    @Test
    void aListThatAlreadyHoldsADestinationStillGetsItOncePerCall() {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        t.add("a.*", null, "q");
        t.add("*.b", null, "q");
        t.add("a.b", null, "r");
        List<String> out = new ArrayList<>(List.of("q", "x"));
        t.route("a.b", null, out);
        out.sort(null);
        assertEquals(List.of("q", "q", "r", "x"), out, "dedup is per call, not against earlier content");
    }

    @Test
    void setOutputAcrossSeveralKeys() {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        t.add("a.*", null, "q1");
        t.add("*.b", null, "q2");
        Set<String> out = new java.util.HashSet<>();
        t.route("a.x", null, out);
        t.route("y.b", null, out);
        t.route("a.b", null, out);
        assertEquals(set("q1", "q2"), out);
    }

    @Test
    void removalKeepsOtherBindingsOfTheSameNodeAndPrunesEmptyBranches() {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        t.add("a.b.c", null, "q1");
        t.add("a.b.c", table("x", 1), "q1");
        t.add("a.b.c", null, "q2");
        t.add("a.b", null, "q3");
        t.add("#.#", null, "q4");

        assertTrue(t.remove("a.b.c", null, "q1"));
        assertEquals(set("q1", "q2"), route(t, "a.b.c").stream().filter(q -> !q.equals("q4"))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        assertTrue(t.remove("a.b.c", table("x", 1), "q1"));
        assertTrue(t.remove("a.b.c", null, "q2"));
        assertEquals(set("q4"), route(t, "a.b.c"));
        assertEquals(set("q3", "q4"), route(t, "a.b"));
        assertTrue(t.remove("#", null, "q4") == false, "\"#\" and \"#.#\" are different binding keys");
        assertTrue(t.remove("#.#", null, "q4"));
        assertEquals(set("q3"), route(t, "a.b"));
        assertEquals(set(), route(t, ""));
        // re-adding after pruning works
        t.add("a.b.c", null, "q1");
        assertEquals(set("q1"), route(t, "a.b.c"));
    }

    @Test
    void equivalentPatternsStayDistinctBindings() {
        BindingTable<String> t = BindingTables.create(ExchangeType.TOPIC);
        assertTrue(t.add("#", null, "q"));
        assertTrue(t.add("#.#", null, "q"));
        assertEquals(2, t.size());
        assertEquals(set("q"), route(t, "x"));
        assertTrue(t.remove("#", null, "q"));
        assertEquals(set("q"), route(t, "x"), "#.# still binds q");
        List<String> keys = new ArrayList<>();
        t.bindings().forEach(b -> keys.add(b.bindingKey()));
        assertEquals(List.of("#.#"), keys, "listing shows the key as given");
    }
}
