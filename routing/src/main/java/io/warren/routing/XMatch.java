package io.warren.routing;

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
        if (!(value instanceof String s)) {
            // Only a long string is accepted. A byte array (field type 'x', which Warren's codec decodes to
            // byte[]) is refused even if it spells "all": RabbitMQ 3.10 says
            // "Invalid x-match field type binary (value <<\"all\">>); expected longstr".
            throw new InvalidBindingException("Invalid x-match field type " + ErlangTerms.typeName(value)
                    + " (value " + ErlangTerms.format(value) + "); expected longstr");
        }
        for (XMatch mode : values()) {
            if (mode.wireValue.equals(s)) { // exact and case-sensitive: "ALL" is refused
                return mode;
            }
        }
        throw new InvalidBindingException("Invalid x-match field value " + ErlangTerms.format(s)
                + "; expected all, any, all-with-x, or any-with-x");
    }

    String wireValue() {
        return wireValue;
    }
}
