package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** route() keeps no shared scratch state: many threads routing at once see what one thread sees. */
class ConcurrentRoutingTest {

    @ParameterizedTest
    @EnumSource(ExchangeType.class)
    void concurrentRoutesAgreeWithSequentialOnes(ExchangeType type) throws Exception {
        BindingTable<String> table = BindingTables.create(type);
        Random r = new Random(5);
        String[] words = {"a", "b", "c", "*", "#"};
        for (int i = 0; i < 500; i++) {
            String key = words[r.nextInt(5)] + "." + words[r.nextInt(5)] + "." + words[r.nextInt(3)];
            Map<String, Object> args = type == ExchangeType.HEADERS
                    ? Fixtures.table("x-match", r.nextBoolean() ? "any" : "all", "h" + r.nextInt(5), r.nextInt(3))
                    : null;
            table.add(key, args, "q" + r.nextInt(100));
        }
        List<String> keys = new ArrayList<>();
        List<Map<String, Object>> headers = new ArrayList<>();
        List<Set<String>> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String key = words[r.nextInt(3)] + "." + words[r.nextInt(3)] + "." + words[r.nextInt(3)];
            Map<String, Object> h = Fixtures.table("h" + r.nextInt(5), r.nextInt(3), "h" + r.nextInt(5), r.nextInt(3));
            keys.add(key);
            headers.add(h);
            expected.add(Fixtures.route(table, key, h));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 4; round++) {
                        for (int i = 0; i < keys.size(); i++) {
                            assertEquals(expected.get(i), Fixtures.route(table, keys.get(i), headers.get(i)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
