package io.warren.interop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What consumers received, by message id (see {@link ConfirmTracker}), with each delivery's
 * redelivered flag; tests wait on it for the deliveries they expect.
 */
final class ReceivedLog {
    private final Map<Long, List<Boolean>> deliveries = new HashMap<>(); // guarded by this

    synchronized void add(long id, boolean redelivered) {
        deliveries.computeIfAbsent(id, k -> new ArrayList<>()).add(redelivered);
        notifyAll();
    }

    synchronized Set<Long> ids() {
        return new HashSet<>(deliveries.keySet());
    }

    /** Waits until every id of {@code expected} (a snapshot of it now) was received; fails naming the missing. */
    void awaitAll(Set<Long> expected, long timeoutMs) throws InterruptedException {
        Set<Long> wanted = new HashSet<>(expected);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (this) {
            while (!deliveries.keySet().containsAll(wanted)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                wait(left);
            }
            Set<Long> missing = new HashSet<>(wanted);
            missing.removeAll(deliveries.keySet());
            assertTrue(missing.isEmpty(), missing.size() + " confirmed but never received, e.g. "
                    + missing.stream().sorted().limit(20).toList());
        }
    }

    /**
     * Ids received more than once where a later copy was not marked redelivered: a message the
     * broker holds twice (a duplicated enqueue), not one returned after a delivery nobody acked.
     */
    synchronized List<Long> duplicatedNotRedelivered() {
        List<Long> out = new ArrayList<>();
        deliveries.forEach((id, flags) -> {
            for (int i = 1; i < flags.size(); i++) {
                if (!flags.get(i)) {
                    out.add(id);
                    return;
                }
            }
        });
        return out;
    }

    synchronized int duplicates() {
        return deliveries.values().stream().mapToInt(l -> l.size() - 1).sum();
    }
}
