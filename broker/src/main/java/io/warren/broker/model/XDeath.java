package io.warren.broker.model;

import io.warren.codec.Timestamp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code x-death} header exactly as RabbitMQ 3.10 writes it (rabbit_dead_letter), quirks
 * included, because applications parse it:
 * <ul>
 * <li>the first death adds {@code x-first-death-reason/queue/exchange} and an entry whose fields keep
 *     their natural order (count, reason, queue, time, exchange, routing-keys[, original-expiration]);
 * <li>a later death merges into the entry of the same queue and reason (count + 1, nothing else
 *     changes, not even the time) or adds a new one; that entry goes first with its fields sorted by
 *     name. The others are regrouped by queue and reason, which reverses their order when there are
 *     two or more (RabbitMQ's fold prepends) — so "newest first" holds only for the first entry;
 * <li>every header change sorts the whole headers table by key (rabbit_misc:set_table_value);
 * <li>an {@code x-death} that is not an array is replaced, without the first-death headers.
 * </ul>
 * Pure functions on mutable header maps; unit-tested in XDeathTest.
 */
final class XDeath {
    static final String HEADER = "x-death";

    private XDeath() {
    }

    /** The fields of a new death event, in RabbitMQ's order (without count). */
    static LinkedHashMap<String, Object> event(String reason, String queue, long timeSeconds, String exchange,
                                                List<String> routingKeys, String originalExpiration) {
        LinkedHashMap<String, Object> info = new LinkedHashMap<>();
        info.put("reason", reason);
        info.put("queue", queue);
        info.put("time", new Timestamp(timeSeconds));
        info.put("exchange", exchange);
        info.put("routing-keys", new ArrayList<Object>(routingKeys));
        if (originalExpiration != null) {
            info.put("original-expiration", originalExpiration);
        }
        return info;
    }

    /** Records one death in {@code headers} (rabbit_dead_letter:update_x_death_header) and sorts them. */
    static void record(LinkedHashMap<String, Object> headers, LinkedHashMap<String, Object> info) {
        String queue = (String) info.get("queue");
        String reason = (String) info.get("reason");
        if (!headers.containsKey(HEADER)) {
            headers.put("x-first-death-reason", reason);
            headers.put("x-first-death-queue", queue);
            headers.put("x-first-death-exchange", info.get("exchange"));
            headers.put(HEADER, new ArrayList<Object>(List.of(withCount(info, 1L))));
        } else if (headers.get(HEADER) instanceof List<?> tables) {
            List<Object> others = new ArrayList<>();
            Map<String, Object> match = null;
            for (Object t : group(tables)) {
                if (match == null && t instanceof Map<?, ?> m && matches(m, queue, reason)) {
                    match = asTable(m);
                } else {
                    others.add(t);
                }
            }
            Map<String, Object> entry = match == null ? withCount(info, 1L) : incremented(match);
            List<Object> deaths = new ArrayList<>(others.size() + 1);
            deaths.add(sorted(entry));
            deaths.addAll(others);
            headers.put(HEADER, deaths);
        } else {
            headers.put(HEADER, new ArrayList<Object>(List.of(withCount(info, 1L))));
        }
        sortInPlace(headers);
    }

    /**
     * rabbit_dead_letter:group_by_queue_and_reason: one table per queue+reason (the first found,
     * its count set to the number of duplicates when it has none), built by prepending.
     */
    private static List<Object> group(List<?> tables) {
        if (tables.size() <= 1) {
            return new ArrayList<>(tables);
        }
        List<Object> acc = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        for (Object t : tables) {
            if (!(t instanceof Map<?, ?> m)) {
                continue; // RabbitMQ would crash on it; a client put it there
            }
            Object q = m.get("queue");
            Object r = m.get("reason");
            Map<?, ?> first = null;
            long n = 0;
            for (Object o : tables) {
                if (o instanceof Map<?, ?> other && sameValue(other.get("queue"), q) && sameValue(other.get("reason"), r)) {
                    first = first == null ? other : first;
                    n++;
                }
            }
            List<Object> key = Arrays.asList(key(q), key(r));
            if (acc.isEmpty() || !seen.contains(key)) {
                acc.add(0, ensureCount(asTable(first), n));
            }
            seen.add(key);
        }
        return acc;
    }

    /** Is a message with these deaths, routed to {@code queue}, in a cycle without any rejection? */
    static boolean isCycle(String queue, Object deaths) {
        if (!(deaths instanceof List<?> list)) {
            return false;
        }
        int at = -1;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> m && queue.equals(m.get("queue"))) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return false;
        }
        for (int i = 0; i <= at; i++) {
            // something unexpected in there means a client touched it: not "fully automatic"
            if (!(list.get(i) instanceof Map<?, ?> m) || "rejected".equals(m.get("reason"))) {
                return false;
            }
        }
        return true;
    }

    /** The queue names in {@code deaths}, newest first (for the cycle warning). */
    static List<String> queues(Object deaths) {
        List<String> out = new ArrayList<>();
        if (deaths instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("queue") instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static boolean matches(Map<?, ?> m, String queue, String reason) {
        return sameValue(m.get("queue"), queue) && sameValue(m.get("reason"), reason);
    }

    /** Erlang compares the binaries: a longstr and a byte array with the same bytes are equal. */
    private static boolean sameValue(Object a, Object b) {
        return Objects.equals(key(a), key(b));
    }

    private static Object key(Object v) {
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v;
    }

    private static LinkedHashMap<String, Object> withCount(Map<String, Object> info, long count) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.putAll(info);
        return m;
    }

    private static Map<String, Object> ensureCount(Map<String, Object> m, long n) {
        return m.containsKey("count") ? m : withCount(m, n);
    }

    /** increment_xdeath_event_count: count + 1 in place (long), or a leading count of 1. */
    private static Map<String, Object> incremented(Map<String, Object> m) {
        if (!m.containsKey("count")) {
            return withCount(m, 1L);
        }
        Long n = QueueArguments.integerValue(m.get("count"));
        if (n == null) {
            return m; // not a number: RabbitMQ would crash here; leave it alone
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(m);
        copy.put("count", n + 1);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asTable(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** rabbit_misc:sort_field_table: by key, as bytes. */
    static LinkedHashMap<String, Object> sorted(Map<String, Object> table) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>(table.entrySet());
        entries.sort((a, b) -> compareBytes(a.getKey(), b.getKey()));
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static void sortInPlace(LinkedHashMap<String, Object> headers) {
        String last = null;
        boolean inOrder = true;
        for (String key : headers.keySet()) {
            if (last != null && compareBytes(last, key) > 0) {
                inOrder = false;
                break;
            }
            last = key;
        }
        if (inOrder) {
            return;
        }
        LinkedHashMap<String, Object> s = sorted(headers);
        headers.clear();
        headers.putAll(s);
    }

    /**
     * The order of the keys' UTF-8 bytes, which is the order of their code points, compared without encoding
     * them (this runs for every dead-lettered message); a string with a lone surrogate, which UTF-8 encodes
     * as '?', is compared as its bytes.
     */
    static int compareBytes(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (isLoneSurrogate(ca) || isLoneSurrogate(cb)) {
                return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
            }
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static boolean isLoneSurrogate(int codePoint) {
        return codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
    }
}
