package io.warren.routing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The two equalities RabbitMQ applies to field-table values, over the Java types Warren's codec decodes to.
 *
 * <ul>
 *   <li>{@link #sameTerm}: binding identity. RabbitMQ stores a binding's arguments as a sorted table of
 *       {@code {Key, Type, Value}} and finds bindings by exact term match, so the AMQP type counts:
 *       a signed int 1 and a long 1 are different arguments, and so are a long string and a byte array.</li>
 *   <li>{@link #matchEquals}: header matching. {@code rabbit_exchange_type_headers} compares only the
 *       values with Erlang's {@code ==} ({@code PV == DV}), not the types. So every integer type compares
 *       by number (signed int 1 == long 1 == timestamp 1), integers equal floats of the same exact value
 *       (1 == 1.0), a long string equals a byte array with the same bytes, and decimals are
 *       {@code {Scale, Unscaled}} tuples (1.0 with scale 1 is neither 1 nor 1.00). Inside arrays and
 *       nested tables the elements carry their type ({@code {Type, Value}}), so there types count again,
 *       and nested tables compare in wire order (RabbitMQ sorts only the top level).</li>
 * </ul>
 */
final class FieldValues {

    private FieldValues() {
    }

    // ---------------------------------------------------------------- exact identity (binding arguments)

    /** Exact equality including the AMQP type, with byte arrays by content. */
    static boolean sameTerm(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || typeTag(a) != typeTag(b)) {
            return false;
        }
        if (a instanceof byte[] x) {
            return Arrays.equals(x, (byte[]) b);
        }
        if (a instanceof List<?> x) {
            List<?> y = (List<?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!sameTerm(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x) {
            return sameOrderedTable(x, (Map<?, ?>) b, true);
        }
        return a.equals(b);
    }

    /** A hash consistent with {@link #sameTerm}. */
    static int termHash(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof byte[] bytes) {
            return Arrays.hashCode(bytes);
        }
        if (v instanceof List<?> list) {
            int h = 1;
            for (Object e : list) {
                h = 31 * h + termHash(e);
            }
            return h;
        }
        if (v instanceof Map<?, ?> map) {
            int h = 7;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                h = 31 * h + (String.valueOf(e.getKey()).hashCode() ^ termHash(e.getValue()));
            }
            return h;
        }
        return v.hashCode();
    }

    // ---------------------------------------------------------------- Erlang == (header matching)

    /** RabbitMQ's {@code PV == DV} for two top-level header values. */
    static boolean matchEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false; // void is the atom 'undefined': equal only to itself
        }
        if (a instanceof String s) {
            if (b instanceof String t) {
                return s.equals(t);
            }
            return b instanceof byte[] bytes && Utf8.sameBytes(s, bytes);
        }
        if (a instanceof byte[] x) {
            if (b instanceof byte[] y) {
                return Arrays.equals(x, y);
            }
            return b instanceof String t && Utf8.sameBytes(t, x);
        }
        if (a instanceof Boolean || b instanceof Boolean || a instanceof BigDecimal || b instanceof BigDecimal) {
            return a.equals(b); // atoms and {Scale, Value} tuples: same Java type and value
        }
        Number x = asErlangNumber(a);
        Number y = asErlangNumber(b);
        if (x != null || y != null) {
            return x != null && y != null && numbersEqual(x, y);
        }
        if (a instanceof List<?> l) {
            return b instanceof List<?> m && sameTypedList(l, m);
        }
        if (a instanceof Map<?, ?> l) {
            return b instanceof Map<?, ?> m && sameOrderedTable(l, m, false);
        }
        return a.equals(b);
    }

    /** Arrays are lists of {Type, Value}: types must match, values compare with ==. */
    private static boolean sameTypedList(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<?> i = a.iterator();
        Iterator<?> j = b.iterator();
        while (i.hasNext()) {
            Object x = i.next();
            Object y = j.next();
            if (typeTag(x) != typeTag(y) || !nestedEquals(x, y)) {
                return false;
            }
        }
        return true;
    }

    /** Nested tables are lists of {Key, Type, Value} in wire (iteration) order. */
    private static boolean sameOrderedTable(Map<?, ?> a, Map<?, ?> b, boolean exact) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<? extends Map.Entry<?, ?>> i = a.entrySet().iterator();
        Iterator<? extends Map.Entry<?, ?>> j = b.entrySet().iterator();
        while (i.hasNext()) {
            Map.Entry<?, ?> x = i.next();
            Map.Entry<?, ?> y = j.next();
            if (!String.valueOf(x.getKey()).equals(String.valueOf(y.getKey()))
                    || typeTag(x.getValue()) != typeTag(y.getValue())) {
                return false;
            }
            boolean same = exact ? sameTerm(x.getValue(), y.getValue()) : nestedEquals(x.getValue(), y.getValue());
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** == between two values already known to have the same type tag. */
    private static boolean nestedEquals(Object x, Object y) {
        if (x instanceof Float f && y instanceof Float g) {
            return f.floatValue() == g.floatValue(); // Erlang: 0.0 == -0.0
        }
        if (x instanceof Double f && y instanceof Double g) {
            return f.doubleValue() == g.doubleValue();
        }
        return matchEquals(x, y);
    }

    /** Integers as Long or BigInteger, floats as Double; null if the value is not an Erlang number. */
    private static Number asErlangNumber(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof BigInteger big) {
            return big;
        }
        if (v instanceof List<?> || v instanceof Map<?, ?>) {
            return null;
        }
        return CodecIntegers.unwrap(v);
    }

    /**
     * Erlang's integer/float {@code ==} is exact (OTP converts whichever side loses no precision), so an
     * integer equals a float only if the float is integral and has exactly that value.
     */
    private static boolean numbersEqual(Number x, Number y) {
        boolean xf = x instanceof Double;
        boolean yf = y instanceof Double;
        if (xf && yf) {
            return x.doubleValue() == y.doubleValue();
        }
        if (xf || yf) {
            double d = xf ? x.doubleValue() : y.doubleValue();
            Number i = xf ? y : x;
            if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
                return false;
            }
            if (i instanceof Long l) {
                return d >= -0x1p63 && d < 0x1p63 && (long) d == l;
            }
            return new BigDecimal(d).toBigIntegerExact().equals(i);
        }
        if (x instanceof Long a && y instanceof Long b) {
            return a.longValue() == b.longValue();
        }
        return toBigInteger(x).equals(toBigInteger(y));
    }

    private static BigInteger toBigInteger(Number n) {
        return n instanceof BigInteger big ? big : BigInteger.valueOf(n.longValue());
    }

    /** The AMQP type a decoded value had on the wire, as far as its Java type tells. */
    static Class<?> typeTag(Object v) {
        if (v == null) {
            return Void.class;
        }
        if (v instanceof List<?>) {
            return List.class;
        }
        if (v instanceof Map<?, ?>) {
            return Map.class;
        }
        return v.getClass();
    }
}
