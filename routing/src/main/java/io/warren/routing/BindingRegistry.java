package io.warren.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The set of bindings of one exchange, keyed by RabbitMQ's binding identity (destination, key, arguments),
 * with an index by destination for {@code removeDestination}. Knows nothing about routing: each table type
 * keeps its own routing index and updates it from what this registry reports as added or removed.
 */
final class BindingRegistry<D> {

    private record Id<D>(String key, ArgumentsKey arguments, D destination) {
    }

    private final Map<Id<D>, Binding<D>> bindings = new LinkedHashMap<>();
    private final Map<D, Set<Id<D>>> byDestination = new HashMap<>();

    /** Records a new binding and returns it, or null if it already exists. */
    Binding<D> add(String key, Map<String, Object> arguments, D destination) {
        Objects.requireNonNull(destination, "destination");
        String k = key == null ? "" : key;
        Map<String, Object> args = copy(arguments);
        Id<D> id = new Id<>(k, ArgumentsKey.of(args), destination);
        if (bindings.containsKey(id)) {
            return null;
        }
        Binding<D> binding = new Binding<>(k, args, destination);
        bindings.put(id, binding);
        byDestination.computeIfAbsent(destination, d -> new LinkedHashSet<>()).add(id);
        return binding;
    }

    /** Forgets a binding and returns what was stored, or null if there was no such binding. */
    Binding<D> remove(String key, Map<String, Object> arguments, D destination) {
        if (destination == null) {
            return null;
        }
        Id<D> id = new Id<>(key == null ? "" : key, ArgumentsKey.of(arguments), destination);
        Binding<D> removed = bindings.remove(id);
        if (removed != null) {
            Set<Id<D>> ids = byDestination.get(destination);
            ids.remove(id);
            if (ids.isEmpty()) {
                byDestination.remove(destination);
            }
        }
        return removed;
    }

    /** Forgets every binding to {@code destination}; returns them (empty if none). */
    List<Binding<D>> removeDestination(D destination) {
        Set<Id<D>> ids = destination == null ? null : byDestination.remove(destination);
        if (ids == null) {
            return List.of();
        }
        List<Binding<D>> removed = new ArrayList<>(ids.size());
        for (Id<D> id : ids) {
            removed.add(bindings.remove(id));
        }
        return removed;
    }

    boolean hasBindingsTo(D destination) {
        return destination != null && byDestination.containsKey(destination);
    }

    int size() {
        return bindings.size();
    }

    List<Binding<D>> snapshot() {
        return List.copyOf(bindings.values());
    }

    /**
     * An unmodifiable private copy, so a caller mutating its map cannot corrupt identity or matching.
     * LinkedHashMap keeps the client's order for listing; it also allows void (null) values, which
     * {@code Map.copyOf} would reject.
     */
    private static Map<String, Object> copy(Map<String, Object> arguments) {
        if (arguments == null || arguments.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }
}
