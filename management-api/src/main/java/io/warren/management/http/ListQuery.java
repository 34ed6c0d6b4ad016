package io.warren.management.http;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RabbitMQ's list parameters: {@code sort} (a key, dotted for nested ones such as
 * {@code message_stats.publish}), {@code sort_reverse}, {@code columns}, and pagination with
 * {@code page}, {@code page_size} (default 100, at most 500), {@code name} and {@code use_regex}.
 * Without {@code page} the answer is a plain array and {@code name} is ignored, as in RabbitMQ;
 * with it, an object with {@code items} and the counts.
 */
public final class ListQuery {
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 500;

    private ListQuery() {
    }

    /** Sorts, filters, pages and trims {@code items} as the request asks. */
    public static Object apply(List<Map<String, Object>> items, Request r) {
        List<Map<String, Object>> list = new ArrayList<>(items.size());
        for (Map<String, Object> m : items) {
            if (r.viewer().sees(vhostOf(m))) {
                list.add(m);
            }
        }
        String sort = r.query("sort");
        Comparator<Map<String, Object>> order = sort == null || sort.isEmpty() ? DEFAULT_ORDER : by(sort);
        if (r.queryFlag("sort_reverse")) {
            order = order.reversed();
        }
        list.sort(order);
        String page = r.query("page");
        if (page == null) {
            return columns(list, r.query("columns"));
        }
        int pageNo = parsePositive(page);
        String sizeParam = r.query("page_size");
        int size = sizeParam == null ? DEFAULT_PAGE_SIZE : parsePositive(sizeParam);
        if (pageNo < 1 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ApiException(400, "invalid_pagination_parameters", "Invalid pagination parameters: page number "
                    + page + ", page size " + (sizeParam == null ? "undefined" : sizeParam));
        }
        int total = list.size();
        List<Map<String, Object>> filtered = filter(list, r.query("name"), r.queryFlag("use_regex"));
        long offset = (long) (pageNo - 1) * size;
        if (offset > filtered.size()) {
            throw new ApiException(400, "page_out_of_range", "Page out of range, page: " + pageNo + " page size: "
                    + size + ", len: " + filtered.size());
        }
        List<Map<String, Object>> items2 = filtered.subList((int) offset, (int) Math.min(filtered.size(), offset + size));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("filtered_count", filtered.size());
        out.put("item_count", items2.size());
        out.put("items", columns(items2, r.query("columns")));
        out.put("page", pageNo);
        out.put("page_count", (filtered.size() + size - 1) / size);
        out.put("page_size", size);
        out.put("total_count", total);
        return out;
    }

    /** The vhost an item belongs to: its vhost field, a consumer's queue's, or a vhost's own name. */
    private static String vhostOf(Map<String, Object> m) {
        if (m.get("vhost") instanceof String v) {
            return v;
        }
        if (m.get("queue") instanceof Map<?, ?> q && q.get("vhost") instanceof String v) {
            return v;
        }
        if (m.containsKey("cluster_state") && m.get("name") instanceof String v) {
            return v;
        }
        return null;
    }

    private static int parsePositive(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Case-insensitive substring of the name, or a case-insensitive regex search as RabbitMQ's re:run.
     * Regexes run on RE2/J, whose time is linear in the name: a backtracking engine would let one
     * management user tie up the API's workers for minutes with a pattern like {@code (a+)+$}.
     */
    private static List<Map<String, Object>> filter(List<Map<String, Object>> list, String name, boolean regex) {
        if (name == null || name.isEmpty()) {
            return list;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        if (regex) {
            Pattern p;
            try {
                p = Pattern.compile(name, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw ApiException.badRequest("invalid regular expression: " + e.getDescription());
            }
            for (Map<String, Object> m : list) {
                if (p.matcher(String.valueOf(m.get("name"))).find()) {
                    out.add(m);
                }
            }
        } else {
            String needle = name.toLowerCase(Locale.ROOT);
            for (Map<String, Object> m : list) {
                if (String.valueOf(m.get("name")).toLowerCase(Locale.ROOT).contains(needle)) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** Keeps only the listed keys; a dotted key keeps that nested value inside its parent. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> columns(List<Map<String, Object>> list, String columns) {
        if (columns == null || columns.isBlank()) {
            return list;
        }
        String[] cols = columns.split(",");
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (Map<String, Object> m : list) {
            Map<String, Object> trimmed = new LinkedHashMap<>();
            for (String c : cols) {
                String[] path = c.trim().split("\\.");
                Object v = lookup(m, path);
                if (v == null && !containsPath(m, path)) {
                    continue;
                }
                Map<String, Object> target = trimmed;
                for (int i = 0; i < path.length - 1; i++) {
                    target = (Map<String, Object>) target.computeIfAbsent(path[i], k -> new LinkedHashMap<>());
                }
                target.put(path[path.length - 1], v);
            }
            out.add(trimmed);
        }
        return out;
    }

    private static boolean containsPath(Map<String, Object> m, String[] path) {
        Object cur = m;
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> mm) || !mm.containsKey(p)) {
                return false;
            }
            cur = mm.get(p);
        }
        return true;
    }

    static Object lookup(Map<String, Object> m, String[] path) {
        Object cur = m;
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> mm)) {
                return null;
            }
            cur = mm.get(p);
        }
        return cur;
    }

    /** RabbitMQ lists sort by vhost, then name, when no sort key is given. */
    private static final Comparator<Map<String, Object>> DEFAULT_ORDER = by("vhost").thenComparing(by("name"));

    /** Numbers compare as numbers, everything else as strings; missing values sort first. */
    private static Comparator<Map<String, Object>> by(String key) {
        String[] path = key.split("\\.");
        return (a, b) -> compareValues(lookup(a, path), lookup(b, path));
    }

    private static int compareValues(Object x, Object y) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        if (x instanceof Number nx && y instanceof Number ny) {
            return Double.compare(nx.doubleValue(), ny.doubleValue());
        }
        return String.valueOf(x).compareTo(String.valueOf(y));
    }
}
