package io.warren.broker.model;

import io.warren.routing.ExchangeType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a publish to its set of queues: follows exchange-to-exchange bindings, falls back to an
 * exchange's alternate exchange when it routes nowhere, and routes every sender-selected key
 * (CC/BCC) too — without duplicates or loops. The common case (one key, an exchange bound only to
 * queues that matched) costs one table lookup and no allocation. One instance per channel: its
 * scratch list is not thread-safe.
 */
public final class Router {
    private final ArrayList<Destination> scratch = new ArrayList<>();

    /** Routes by the message's own routing key only. */
    public void route(Exchange x, Message msg, List<AmqpQueue> queues) {
        route(x, msg, List.of(), queues);
    }

    /**
     * Fills {@code queues} (cleared first) with every queue the message reaches from {@code x}.
     * {@code extraKeys} are the CC/BCC routing keys (usually empty).
     */
    public void route(Exchange x, Message msg, List<String> extraKeys, List<AmqpQueue> queues) {
        queues.clear();
        if (extraKeys.isEmpty() && fastPath(x, msg, queues)) {
            return;
        }
        queues.clear();
        fullRoute(x, msg, extraKeys, queues);
    }

    /** One key, direct to queues: true if that settled it (some queue matched, no exchange in between). */
    private boolean fastPath(Exchange x, Message msg, List<AmqpQueue> queues) {
        scratch.clear();
        x.route(msg.routingKey(), headersFor(x, msg), scratch);
        boolean onlyQueues = true;
        for (int i = 0; i < scratch.size() && onlyQueues; i++) {
            if (scratch.get(i) instanceof AmqpQueue q) {
                queues.add(q);
            } else {
                onlyQueues = false;
            }
        }
        boolean settled = onlyQueues && (!queues.isEmpty() || alternate(x) == null);
        scratch.clear();
        return settled;
    }

    private void fullRoute(Exchange origin, Message msg, List<String> extraKeys, List<AmqpQueue> queues) {
        List<String> keys = new ArrayList<>(1 + extraKeys.size());
        keys.add(msg.routingKey());
        keys.addAll(extraKeys);
        Set<Exchange> visited = new HashSet<>();
        Set<AmqpQueue> found = new LinkedHashSet<>();
        ArrayDeque<Exchange> work = new ArrayDeque<>();
        visited.add(origin);
        work.add(origin);
        List<Destination> hits = new ArrayList<>();
        while (!work.isEmpty()) {
            Exchange e = work.poll();
            hits.clear();
            for (String key : keys) {
                e.route(key, headersFor(e, msg), hits);
            }
            if (hits.isEmpty()) {
                Exchange ae = alternate(e);
                if (ae != null && visited.add(ae)) {
                    work.add(ae);
                }
                continue;
            }
            for (Destination d : hits) {
                if (d instanceof AmqpQueue q) {
                    found.add(q);
                } else if (d instanceof Exchange next && visited.add(next)) {
                    work.add(next);
                }
            }
        }
        queues.addAll(found);
    }

    /** The exchange named by the {@code alternate-exchange} argument, if it exists. */
    private static Exchange alternate(Exchange x) {
        return x.alternateExchange();
    }

    /** Only a headers exchange needs the message's headers; others skip decoding the properties. */
    private static Map<String, Object> headersFor(Exchange x, Message msg) {
        return x.type() == ExchangeType.HEADERS ? msg.properties().headers() : null;
    }
}
