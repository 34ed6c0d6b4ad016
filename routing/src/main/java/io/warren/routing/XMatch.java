package io.warren.routing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The headers exchange's {@code x-match} modes and their validation, worded as RabbitMQ 3.10's
 * {@code rabbit_exchange_type_headers:validate_binding/2}.
 */
enum XMatch {
    ALL("all", true, false),
    ANY("any", false, false),
    ALL_WITH_X("all-with-x", true, true),
    ANY_WITH_X("any-with-x", false, true);

    static final String ARGUMENT = "x-match";

    private final String wireValue;
    /** all: every argument must match; any: one is enough. */
    final boolean requireAll;
    /** The -with-x modes also match arguments starting with "x-" (x-match itself never takes part). */
    final boolean includeX;

    XMatch(String wireValue, boolean requireAll, boolean includeX) {
        this.wireValue = wireValue;
        this.requireAll = requireAll;
        this.includeX = includeX;
    }

    /**
     * The mode these binding arguments ask for: absent means "all" (RabbitMQ allows omitting it).
     *
     * @throws InvalidBindingException with RabbitMQ's text for any other value or type
     */
    static XMatch of(Map<String, Object> arguments) {
        if (arguments == null || !arguments.containsKey(ARGUMENT)) {
            return ALL;
        }
        Object value = arguments.get(ARGUMENT);
        byte[] bytes;
        if (value instanceof String s) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof byte[] b) {
            // The contract says x-match may arrive as byte[]; we take it as the long string it spells.
            bytes = b;
        } else {
            throw new InvalidBindingException("Invalid x-match field type " + ErlangTerms.typeName(value)
                    + " (value " + ErlangTerms.format(value) + "); expected longstr");
        }
        for (XMatch mode : values()) {
            if (Arrays.equals(bytes, mode.wireValue.getBytes(StandardCharsets.US_ASCII))) {
                return mode;
            }
        }
        throw new InvalidBindingException("Invalid x-match field value " + ErlangTerms.formatBinary(bytes)
                + "; expected all, any, all-with-x, or any-with-x");
    }

    String wireValue() {
        return wireValue;
    }
}
