package io.warren.broker.model;

import io.warren.routing.ExchangeType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a publish to its set of queues, following exchange-to-exchange bindings. The common
 * case (an exchange bound only to queues) costs one table lookup and no allocation; once another
 * exchange shows up, visited sets keep chains free of duplicates and loops. One instance per
 * channel: its scratch lists are not thread-safe.
 */
public final class Router {
    private final ArrayList<Destination> scratch = new ArrayList<>();

    /** Fills {@code queues} (cleared first) with every queue the message reaches from {@code x}. */
    public void route(Exchange x, Message msg, List<Queue> queues) {
        queues.clear();
        scratch.clear();
        x.route(msg.routingKey(), headersFor(x, msg), scratch);
        boolean viaExchange = false;
        for (int i = 0; i < scratch.size(); i++) {
            Destination d = scratch.get(i);
            if (d instanceof Queue q) {
                queues.add(q);
            } else {
                viaExchange = true;
            }
        }
        if (viaExchange) {
            followExchanges(x, msg, queues);
        }
        scratch.clear();
    }

    /** Only a headers exchange needs the message's headers; others skip decoding the properties. */
    private static Map<String, Object> headersFor(Exchange x, Message msg) {
        return x.type() == ExchangeType.HEADERS ? msg.properties().headers() : null;
    }

    private void followExchanges(Exchange origin, Message msg, List<Queue> queues) {
        Set<Exchange> visited = new HashSet<>();
        visited.add(origin);
        Set<Queue> seen = new HashSet<>(queues);
        List<Exchange> frontier = new ArrayList<>();
        for (Destination d : scratch) {
            if (d instanceof Exchange e && visited.add(e)) {
                frontier.add(e);
            }
        }
        List<Destination> found = new ArrayList<>();
        while (!frontier.isEmpty()) {
            Exchange e = frontier.remove(frontier.size() - 1);
            found.clear();
            e.route(msg.routingKey(), headersFor(e, msg), found);
            for (Destination d : found) {
                if (d instanceof Queue q) {
                    if (seen.add(q)) {
                        queues.add(q);
                    }
                } else if (d instanceof Exchange next && visited.add(next)) {
                    frontier.add(next);
                }
            }
        }
    }
}
