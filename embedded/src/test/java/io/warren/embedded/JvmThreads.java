package io.warren.embedded;

import java.util.List;

/**
 * Threads a library starts once per JVM, not per broker: they outlive any one broker by design
 * (Netty's global executor and object cleaner, Chronicle's JVM-wide helpers, the JDK's own).
 */
final class JvmThreads {
    private static final List<String> PREFIXES = List.of("globalEventExecutor", "ObjectCleanerThread",
            "Common-Cleaner", "Attach Listener", "process reaper", "Reference Handler", "Finalizer",
            "Signal Dispatcher", "surefire-forkedjvm", "junit-jupiter-timeout-watcher",
            // Chronicle's one releaser of unmapped files, started with the first queue a JVM opens
            "background~resource~releaser");

    private JvmThreads() {
    }

    static boolean owned(Thread t) {
        String name = t.getName();
        return PREFIXES.stream().anyMatch(name::startsWith);
    }
}
