package io.warren.routing;

import static io.warren.routing.Fixtures.route;
import static io.warren.routing.Fixtures.set;
import static io.warren.routing.Fixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeadersBindingTableTest {

    /** Stand-ins for the codec's records: RabbitMQ decodes both to plain integers. */
    record Timestamp(long epochSeconds) {
    }

    record UnsignedInt(long value) {
    }

    private static boolean matches(Map<String, Object> bindingArgs, Map<String, Object> headers) {
        BindingTable<String> t = BindingTables.create(ExchangeType.HEADERS);
        t.add("", bindingArgs, "q");
        return route(t, "ignored", headers).contains("q");
    }

    // ------------------------------------------------------------------ observed on RabbitMQ 3.10.8 (Pika)

    /** name, binding arguments, message headers (null = none), routed on RabbitMQ 3.10.8? */
    static Stream<Arguments> observedOnRabbitMq() {
        return Stream.of(
            Arguments.of("signed int vs long, same value", table("a", 1), table("a", 1L), true),
            Arguments.of("long vs long", table("a", 1L << 40), table("a", 1L << 40), true),
            Arguments.of("int 1 vs string \"1\"", table("a", 1), table("a", "1"), false),
            Arguments.of("string vs byte array", table("a", "abc"), table("a", bytes("abc")), true),
            Arguments.of("byte array vs string", table("a", bytes("abc")), table("a", "abc"), true),
            Arguments.of("empty string vs empty bytes", table("a", ""), table("a", new byte[0]), true),
            Arguments.of("bool true vs int 1", table("a", true), table("a", 1), false),
            Arguments.of("timestamp vs int", table("a", new Timestamp(5)), table("a", 5), true),
            Arguments.of("decimal 1 vs int 1", table("a", new BigDecimal("1")), table("a", 1), false),
            Arguments.of("void arg, header present", table("a", null), table("a", "x"), true),
            Arguments.of("void arg, header void", table("a", null), table("a", null), true),
            Arguments.of("void arg, header absent", table("a", null), table("b", 1), false),
            Arguments.of("string arg, header void", table("a", "x"), table("a", null), false),
            Arguments.of("all, no arguments, no headers", table(), null, true),
            Arguments.of("all explicit, no arguments", table("x-match", "all"), table(), true),
            Arguments.of("any, no arguments", table("x-match", "any"), table("a", 1), false),
            Arguments.of("any, only x- arguments", table("x-match", "any", "x-foo", 1), table("x-foo", 1), false),
            Arguments.of("any-with-x, no arguments", table("x-match", "any-with-x"),
                    table("x-match", "any-with-x"), false),
            Arguments.of("all ignores x- arguments", table("x-foo", "bar", "a", 1), table("a", 1), true),
            Arguments.of("all-with-x needs x- header", table("x-match", "all-with-x", "x-foo", "bar", "a", 1),
                    table("a", 1), false),
            Arguments.of("all-with-x has x- header", table("x-match", "all-with-x", "x-foo", "bar", "a", 1),
                    table("a", 1, "x-foo", "bar"), true),
            Arguments.of("all-with-x never needs x-match", table("x-match", "all-with-x", "a", 1),
                    table("a", 1), true),
            Arguments.of("any-with-x on an x- header", table("x-match", "any-with-x", "x-foo", "bar"),
                    table("x-foo", "bar"), true),
            Arguments.of("any ignores x- arguments", table("x-match", "any", "x-foo", "bar"),
                    table("x-foo", "bar"), false),
            Arguments.of("array equal", table("a", List.of(1, "b")), table("a", List.of(1, "b")), true),
            Arguments.of("array order matters", table("a", List.of(1, 2)), table("a", List.of(2, 1)), false),
            Arguments.of("table equal", table("a", table("k", 1, "j", 2)), table("a", table("k", 1, "j", 2)), true),
            Arguments.of("nested table order matters", table("a", table("k", 1, "j", 2)),
                    table("a", table("j", 2, "k", 1)), false),
            Arguments.of("nested string vs bytes differ in type", table("a", List.of("x")),
                    table("a", List.of(bytes("x"))), false),
            Arguments.of("any: one of two", table("x-match", "any", "a", 1, "b", 2), table("b", 2), true),
            Arguments.of("all: one missing", table("a", 1, "b", 2), table("b", 2), false),
            Arguments.of("all: extra headers are fine", table("a", 1), table("a", 1, "z", 0), true),
            Arguments.of("default is all", table("a", 1, "b", 2), table("a", 1), false),
            Arguments.of("keys are case-sensitive", table("A", 1), table("a", 1), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("observedOnRabbitMq")
    void matchesWhatRabbitMqRouted(String name, Map<String, Object> args, Map<String, Object> headers,
                                   boolean routed) {
        assertEquals(routed, matches(args, headers));
    }

    // ------------------------------------------------------------------ follows from PV == DV in 3.10's source

    static Stream<Arguments> erlangEquality() {
        return Stream.of(
            Arguments.of("int 1 == double 1.0", 1, 1.0d, true),
            Arguments.of("long 1 == float 1.0", 1L, 1.0f, true),
            Arguments.of("int 1 != double 1.5", 1, 1.5d, false),
            Arguments.of("float 0.5 == double 0.5", 0.5f, 0.5d, true),
            Arguments.of("float 0.1 != double 0.1", 0.1f, 0.1d, false),
            Arguments.of("short 7 == byte 7", (short) 7, (byte) 7, true),
            Arguments.of("unsigned int 7 == long 7", new UnsignedInt(7), 7L, true),
            Arguments.of("timestamp 2^40 == long 2^40", new Timestamp(1L << 40), 1L << 40, true),
            Arguments.of("long 2^53+1 != double 2^53", (1L << 53) + 1, (double) (1L << 53), false),
            Arguments.of("long max != double 2^63", Long.MAX_VALUE, 0x1p63, false),
            Arguments.of("decimal 1.5 == decimal 1.5", new BigDecimal("1.5"), new BigDecimal("1.5"), true),
            Arguments.of("decimal 1.5 != decimal 1.50", new BigDecimal("1.5"), new BigDecimal("1.50"), false),
            Arguments.of("decimal 1.5 != double 1.5", new BigDecimal("1.5"), 1.5d, false),
            Arguments.of("false != 0", false, 0, false),
            Arguments.of("false == false", false, false, true),
            Arguments.of("string != bool", "true", true, false),
            Arguments.of("bytes by content", bytes("xyz"), bytes("xyz"), true),
            Arguments.of("bytes differ", bytes("xyz"), bytes("xyw"), false),
            Arguments.of("non-ASCII string vs its UTF-8 bytes", "héllo €", bytes("héllo €"), true),
            Arguments.of("string vs longer bytes", "ab", bytes("abc"), false),
            Arguments.of("emoji string vs its bytes", "a\uD83D\uDE00", bytes("a\uD83D\uDE00"), true),
            Arguments.of("array elements keep types: int vs long", List.of(1), List.of(1L), false),
            Arguments.of("array of equal ints", List.of(1, 2), List.of(1, 2), true),
            Arguments.of("array vs shorter array", List.of(1, 2), List.of(1), false),
            Arguments.of("nested arrays", List.of(List.of("a")), List.of(List.of("a")), true),
            Arguments.of("nested table value types", table("k", 1), table("k", 1L), false),
            Arguments.of("string vs list", "a", List.of("a"), false),
            Arguments.of("int vs string", 1, "1", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("erlangEquality")
    void valuesCompareLikeErlangEquals(String name, Object bindingValue, Object headerValue, boolean equal) {
        assertEquals(equal, matches(table("k", bindingValue), table("k", headerValue)));
        assertEquals(equal, matches(table("k", headerValue), table("k", bindingValue)), "symmetric");
    }

    // ------------------------------------------------------------------ x-match modes

    @Test
    void anyMatchesOnAnySingleArgumentAllNeedsEvery() {
        Map<String, Object> any = table("x-match", "any", "a", 1, "b", "two", "c", null);
        assertTrue(matches(any, table("c", 0)));
        assertTrue(matches(any, table("b", "two")));
        assertFalse(matches(any, table("a", 2, "b", "three")));
        assertFalse(matches(any, null));
        Map<String, Object> all = table("x-match", "all", "a", 1, "b", "two", "c", null);
        assertTrue(matches(all, table("a", 1L, "b", "two", "c", false, "d", 4)));
        assertFalse(matches(all, table("a", 1, "b", "two")));
        assertFalse(matches(all, table("a", 1, "b", "TWO", "c", 1)));
        assertFalse(matches(all, null));
    }

    @Test
    void plainModesIgnoreXHeadersEntirely() {
        assertTrue(matches(table("x-match", "all", "a", 1), table("a", 1, "x-match", "any", "x-a", 5)));
        assertTrue(matches(table("x-match", "all", "x-a", 1), table()), "only x- arguments: nothing to match");
        assertTrue(matches(table("x-match", "all-with-x", "x-a", null), table("x-a", "whatever")));
        assertFalse(matches(table("x-match", "all-with-x", "x-a", null), table("a", 1)));
        assertTrue(matches(table("x-match", "any-with-x", "x-a", 1, "b", 2), table("x-a", 1)));
        // "X-" is not "x-": an ordinary argument
        assertFalse(matches(table("x-match", "all", "X-a", 1), table()));
    }

    @Test
    void destinationBoundTwiceIsRoutedOnceAndUnbindsIndependently() {
        BindingTable<String> t = BindingTables.create(ExchangeType.HEADERS);
        t.add("", table("x-match", "any", "a", 1), "q");
        t.add("", table("x-match", "any", "b", 1), "q");
        t.add("", table("a", 1), "q2");
        assertEquals(set("q", "q2"), route(t, "", table("a", 1, "b", 1)));
        assertTrue(t.remove("", table("x-match", "any", "a", 1), "q"));
        assertEquals(set("q2"), route(t, "", table("a", 1)));
        assertEquals(set("q"), route(t, "", table("b", 1)));
        assertEquals(1, t.removeDestination("q"));
        assertEquals(set(), route(t, "", table("b", 1)));
        assertEquals(set("q2"), route(t, "", table("a", 1)));
    }

    @Test
    void routingKeyIsIgnored() {
        BindingTable<String> t = BindingTables.create(ExchangeType.HEADERS);
        t.add("some.key", table("a", 1), "q");
        assertEquals(set("q"), route(t, "other", table("a", 1)));
        assertEquals(set("q"), route(t, null, table("a", 1)));
    }

    @Test
    void manyDestinationsWithChurn() {
        BindingTable<String> t = BindingTables.create(ExchangeType.HEADERS);
        for (int i = 0; i < 300; i++) {
            t.add("", table("x-match", "any", "n", i, "mod", i % 7), "q" + i);
        }
        assertEquals(43, route(t, "", table("mod", 3)).size()); // 3, 10, ..., 297
        for (int i = 0; i < 300; i += 2) {
            t.removeDestination("q" + i);
        }
        assertEquals(set("q11"), route(t, "", table("n", 11)));
        assertEquals(set(), route(t, "", table("n", 12)));
        assertEquals(150, t.size());
    }

    // ------------------------------------------------------------------ invalid x-match: RabbitMQ's words

    /** The x-match value and the text RabbitMQ 3.10.8 sent after "PRECONDITION_FAILED - ". */
    static Stream<Arguments> invalidXMatch() {
        String valueTail = "; expected all, any, all-with-x, or any-with-x";
        return Stream.of(
            Arguments.of("foo", "Invalid x-match field value <<\"foo\">>" + valueTail),
            Arguments.of("ALL", "Invalid x-match field value <<\"ALL\">>" + valueTail),
            Arguments.of("all ", "Invalid x-match field value <<\"all \">>" + valueTail),
            Arguments.of("", "Invalid x-match field value <<>>" + valueTail),
            Arguments.of("a\"b\\c", "Invalid x-match field value <<\"a\\\"b\\\\c\">>" + valueTail),
            Arguments.of("tab\there", "Invalid x-match field value <<\"tab\\there\">>" + valueTail),
            Arguments.of("new\nline", "Invalid x-match field value <<\"new\\nline\">>" + valueTail),
            Arguments.of("héllo", "Invalid x-match field value <<\"héllo\">>" + valueTail),
            Arguments.of("日本", "Invalid x-match field value <<230,151,165,230,156,172>>" + valueTail),
            Arguments.of("\u007f", "Invalid x-match field value <<127>>" + valueTail),
            Arguments.of("\u001b", "Invalid x-match field value <<\"\\e\">>" + valueTail),
            Arguments.of("\u0000", "Invalid x-match field value <<0>>" + valueTail),
            Arguments.of("x".repeat(100), "Invalid x-match field value <<\"" + "x".repeat(100) + "\">>" + valueTail),
            Arguments.of(bytes("all"), "Invalid x-match field type binary (value <<\"all\">>); expected longstr"),
            Arguments.of(new byte[] {0, 1, -1},
                    "Invalid x-match field type binary (value <<0,1,255>>); expected longstr"),
            Arguments.of(1, "Invalid x-match field type signedint (value 1); expected longstr"),
            Arguments.of(1L << 40, "Invalid x-match field type long (value 1099511627776); expected longstr"),
            Arguments.of(true, "Invalid x-match field type bool (value true); expected longstr"),
            Arguments.of(null, "Invalid x-match field type void (value undefined); expected longstr"),
            Arguments.of(List.of(1, "a"),
                    "Invalid x-match field type array (value [{signedint,1},{longstr,<<\"a\">>}]); expected longstr"),
            Arguments.of(table("k", "v"),
                    "Invalid x-match field type table (value [{<<\"k\">>,longstr,<<\"v\">>}]); expected longstr"),
            Arguments.of(new BigDecimal("1.5"), "Invalid x-match field type decimal (value {1,15}); expected longstr"),
            Arguments.of(new Timestamp(1577836800L),
                    "Invalid x-match field type timestamp (value 1577836800); expected longstr"));
    }

    @ParameterizedTest(name = "x-match {0}")
    @MethodSource("invalidXMatch")
    void invalidXMatchIsRefusedWithRabbitMqsText(Object xMatch, String message) {
        BindingTable<String> t = BindingTables.create(ExchangeType.HEADERS);
        InvalidBindingException e = assertThrows(InvalidBindingException.class,
                () -> t.add("", table("x-match", xMatch, "a", 1), "q"));
        assertEquals(message, e.getMessage());
        assertFalse(t.hasBindings(), "a refused binding is not added");
    }

    @Test
    void validXMatchValuesAndOtherTablesAcceptAnything() {
        BindingTable<String> t = BindingTables.create(ExchangeType.HEADERS);
        for (String mode : new String[] {"all", "any", "all-with-x", "any-with-x"}) {
            assertTrue(t.add("", table("x-match", mode), "q"));
        }
        assertTrue(t.add("", null, "q"));
        for (ExchangeType other : new ExchangeType[] {ExchangeType.DIRECT, ExchangeType.FANOUT, ExchangeType.TOPIC}) {
            assertTrue(BindingTables.create(other).add("k", table("x-match", "nonsense"), "q"),
                    "only the headers exchange validates x-match");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
