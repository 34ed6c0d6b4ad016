package io.warren.broker.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policies of one vhost. Reads are lock-free; changes go through {@link VirtualHost}, which
 * re-applies them to its queues and exchanges under its lock.
 */
final class Policies {
    /** Highest priority first; RabbitMQ leaves ties unordered, Warren takes them by name so the choice is stable. */
    private static final Comparator<Policy> ORDER = Comparator.comparingInt(Policy::priority).reversed()
            .thenComparing(Policy::name);

    private final ConcurrentHashMap<String, Policy> byName = new ConcurrentHashMap<>();

    Policy get(String name) {
        return byName.get(name);
    }

    /** Returns the policy it replaced, or null. */
    Policy put(Policy p) {
        return byName.put(p.name(), p);
    }

    Policy remove(String name) {
        return byName.remove(name);
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    /** By name, as rabbitmqctl list_policies shows them. */
    List<Policy> all() {
        List<Policy> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparing(Policy::name));
        return out;
    }

    /** The one policy that applies to a queue or exchange of that name (rabbit_policy:match), or null. */
    Policy match(boolean queue, String objectName) {
        Policy best = null;
        for (Policy p : byName.values()) {
            if (p.matches(queue, objectName) && (best == null || ORDER.compare(p, best) < 0)) {
                best = p;
            }
        }
        return best;
    }
}
