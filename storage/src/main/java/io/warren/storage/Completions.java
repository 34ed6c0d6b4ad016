package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Runs the callbacks of a batch on their executors. Callbacks bound for the same executor (typically one
 * Netty event loop) go in one task, so a group commit of a thousand publishes from one channel costs its
 * event loop one wake-up, and their confirms leave together.
 */
final class Completions {
    private static final Logger log = LoggerFactory.getLogger(Completions.class);

    private Completions() {
    }

    static void complete(List<Pending> batch) {
        Map<Executor, List<Pending>> byExecutor = new IdentityHashMap<>();
        for (Pending p : batch) {
            if (p.callback == null) continue;
            byExecutor.computeIfAbsent(p.executor, e -> new ArrayList<>(Math.min(batch.size(), 64))).add(p);
        }
        for (Map.Entry<Executor, List<Pending>> e : byExecutor.entrySet()) {
            List<Pending> ps = e.getValue();
            try {
                e.getKey().execute(() -> {
                    for (Pending p : ps) run(p);
                });
            } catch (RuntimeException ex) {
                log.warn("{} storage callbacks dropped: their executor refused them ({})", ps.size(), ex.toString());
            }
        }
    }

    static void run(Pending p) {
        try {
            p.callback.done(p.failure == null ? p.location : -1, p.failure);
        } catch (RuntimeException ex) {
            log.warn("storage callback threw", ex);
        }
    }
}
