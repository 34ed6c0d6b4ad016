package io.warren.bench.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic generators for realistic binding sets and messages, so that runs are comparable.
 * Topic keys look like "region.service.entity.event" drawn from small vocabularies (many messages share
 * prefixes, as in real systems); a share of the patterns use "*" and "#".
 */
final class Workloads {

    static final int MESSAGES = 1024; // power of two: the benchmarks cycle with a mask

    private static final String[] REGIONS = {"eu", "us", "apac", "latam", "mea"};
    private static final String[] SERVICES = {"orders", "billing", "users", "stock", "shipping", "search",
        "auth", "mail"};
    private static final String[] EVENTS = {"created", "updated", "deleted", "failed", "retried"};

    private Workloads() {
    }

    static List<BenchQueue> queues(int n) {
        List<BenchQueue> qs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            qs.add(new BenchQueue("q" + i));
        }
        return qs;
    }

    /** A routing key: region.service.entityN.event. */
    static String topicKey(Random r, int entities) {
        return REGIONS[r.nextInt(REGIONS.length)] + "." + SERVICES[r.nextInt(SERVICES.length)] + ".entity"
                + r.nextInt(entities) + "." + EVENTS[r.nextInt(EVENTS.length)];
    }

    /**
     * A binding pattern, selective like a consumer's subscription: 70% fully literal, 15% with a "*" for the
     * region or the event, 10% "region.service.entityN.#", 5% "#.entityN.event". The number of entities grows
     * with the table, so a larger table is not just more queues on the same few keys.
     */
    static String topicPattern(Random r, int entities) {
        String[] words = topicKey(r, entities).split("\\.");
        int kind = r.nextInt(20);
        if (kind < 14) {
            return String.join(".", words);
        }
        if (kind < 17) {
            words[r.nextBoolean() ? 0 : 3] = "*";
            return String.join(".", words);
        }
        if (kind < 19) {
            return words[0] + "." + words[1] + "." + words[2] + ".#";
        }
        return "#." + words[2] + "." + words[3];
    }

    /** Message headers like format=pdf, type=report, region=eu, priority=n. */
    static Map<String, Object> headers(Random r) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", r.nextBoolean() ? "pdf" : "zip");
        h.put("type", "report" + r.nextInt(20));
        h.put("region", REGIONS[r.nextInt(REGIONS.length)]);
        h.put("priority", r.nextInt(5));
        h.put("x-trace-id", "trace-" + r.nextInt());
        return h;
    }

    /** Binding arguments for a headers exchange: two or three conditions, all or any. */
    static Map<String, Object> headerArgs(Random r) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("x-match", r.nextInt(3) == 0 ? "any" : "all");
        a.put("type", "report" + r.nextInt(20));
        a.put("region", REGIONS[r.nextInt(REGIONS.length)]);
        if (r.nextBoolean()) {
            a.put("format", r.nextBoolean() ? "pdf" : "zip");
        }
        return a;
    }
}
