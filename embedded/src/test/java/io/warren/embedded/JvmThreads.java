package io.warren.embedded;

import java.util.List;

/**
 * Threads a library starts once per JVM, not per broker: they outlive any one broker by design
 * (Netty's object cleaner, Chronicle's JVM-wide releaser, the JDK's own). Netty's global executor is not
 * among them: a broker's timers must not run there.
 */
final class JvmThreads {
    private static final List<String> PREFIXES = List.of("ObjectCleanerThread",
            "Common-Cleaner", "Attach Listener", "process reaper", "Reference Handler", "Finalizer",
            "Signal Dispatcher", "surefire-forkedjvm", "junit-jupiter-timeout-watcher",
            "Keep-Alive-Timer", // the JDK's HttpURLConnection (the test's HTTP client)
            // Chronicle's one releaser of unmapped files, started with the first queue a JVM opens
            "background~resource~releaser");

    private JvmThreads() {
    }

    /** Every thread started since {@code before} ends (waits for each), except the JVM-wide ones. */
    static void assertAllEndedSince(java.util.Set<Thread> before) throws InterruptedException {
        List<String> left = new java.util.ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && !owned(t)) {
                t.join(5_000); // ended with close, or about to: wait for the thread itself to end
                if (t.isAlive()) {
                    left.add(t.getName());
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), left, "threads still running after close");
    }

    static boolean owned(Thread t) {
        String name = t.getName();
        return PREFIXES.stream().anyMatch(name::startsWith);
    }
}
