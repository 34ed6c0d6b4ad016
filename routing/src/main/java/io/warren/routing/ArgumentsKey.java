package io.warren.routing;

import java.util.Map;

/**
 * Binding arguments as part of a binding's identity. RabbitMQ sorts the top-level table, so key order does
 * not matter there; values compare as exact typed terms ({@link FieldValues#sameTerm}). A null table is the
 * same as an empty one.
 */
final class ArgumentsKey {

    static final ArgumentsKey EMPTY = new ArgumentsKey(Map.of());

    private final Map<String, Object> arguments;
    private final int hash;

    private ArgumentsKey(Map<String, Object> arguments) {
        this.arguments = arguments;
        int h = 0;
        for (Map.Entry<String, Object> e : arguments.entrySet()) {
            // sum: independent of iteration order, like the sorted table
            h += e.getKey().hashCode() ^ FieldValues.termHash(e.getValue());
        }
        this.hash = h;
    }

    /** Wraps an already-copied, never-mutated table. */
    static ArgumentsKey of(Map<String, Object> arguments) {
        return arguments == null || arguments.isEmpty() ? EMPTY : new ArgumentsKey(arguments);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ArgumentsKey other) || other.hash != hash
                || other.arguments.size() != arguments.size()) {
            return false;
        }
        for (Map.Entry<String, Object> e : arguments.entrySet()) {
            Object theirs = other.arguments.get(e.getKey());
            if (theirs == null && !other.arguments.containsKey(e.getKey())) {
                return false;
            }
            if (!FieldValues.sameTerm(e.getValue(), theirs)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
