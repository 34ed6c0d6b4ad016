package io.warren.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One headers binding compiled for matching, with RabbitMQ 3.10's rules
 * ({@code rabbit_exchange_type_headers:headers_match/2}, checked against a 3.10.8 node):
 * <ul>
 *   <li>{@code x-match} itself never takes part. With "all"/"any", binding arguments whose key starts with
 *       "x-" are ignored too (so message headers starting with "x-" can never matter); with "all-with-x" /
 *       "any-with-x" they are matched like any other argument.</li>
 *   <li>An argument with a void (null) value matches when the header is present, whatever its value.</li>
 *   <li>Otherwise values compare with Erlang's {@code ==} ({@link FieldValues#matchEquals}): a header that
 *       is absent, or void, does not match.</li>
 *   <li>"all" (or the default) with nothing left to compare matches every message, even one with no
 *       headers; "any" with nothing left matches none.</li>
 * </ul>
 */
final class HeadersMatcher {

    /** The binding this matcher was compiled from, to find it again on unbind. */
    final Binding<?> binding;
    private final boolean requireAll;
    private final String[] keys;
    private final Object[] values;
    private final boolean[] presenceOnly;

    HeadersMatcher(Binding<?> binding) {
        this.binding = binding;
        Map<String, Object> args = binding.arguments();
        XMatch mode = XMatch.of(args);
        this.requireAll = mode.requireAll;
        List<String> k = new ArrayList<>();
        List<Object> v = new ArrayList<>();
        for (Map.Entry<String, Object> e : args.entrySet()) {
            String key = e.getKey();
            if (XMatch.ARGUMENT.equals(key) || (!mode.includeX && key.startsWith("x-"))) {
                continue;
            }
            k.add(key);
            v.add(e.getValue());
        }
        this.keys = k.toArray(new String[0]);
        this.values = v.toArray();
        this.presenceOnly = new boolean[keys.length];
        for (int i = 0; i < keys.length; i++) {
            presenceOnly[i] = values[i] == null;
        }
    }

    /** @param headers the message headers, null meaning none */
    boolean matches(Map<String, Object> headers) {
        if (keys.length == 0) {
            return requireAll;
        }
        if (headers == null || headers.isEmpty()) {
            return false; // all: something is missing; any: nothing can match
        }
        for (int i = 0; i < keys.length; i++) {
            boolean hit;
            if (presenceOnly[i]) {
                hit = headers.containsKey(keys[i]);
            } else {
                Object h = headers.get(keys[i]);
                Object v = values[i];
                // most bindings compare strings with strings: keep that path short and inlinable
                hit = h != null && (v instanceof String && h instanceof String
                        ? v.equals(h) : FieldValues.matchEquals(v, h));
            }
            if (hit != requireAll) {
                return hit; // any: first hit wins; all: first miss loses
            }
        }
        return requireAll;
    }
}
