package io.warren.storage;

/**
 * System properties Chronicle reads once, when its classes load. Applied before the store touches any
 * Chronicle class. The analytics jar is also excluded from the build; this is the second lock on that door.
 */
final class ChronicleSettings {
    private ChronicleSettings() {
    }

    static void apply() {
        // A broker must never phone home.
        System.setProperty("chronicle.analytics.disable", "true");
        // The "leave your e-mail" banner is noise in a broker's log.
        System.setProperty("chronicle.announcer.disable", "true");
        // Warren measures free space itself (DiskMonitor) and raises the broker's alarm; Chronicle's own
        // monitor would only add a thread and duplicate warnings.
        System.setProperty("chronicle.disk.monitor.disable", "true");
        // Chronicle's write lock lives in metadata.cq4t and holds the writer's PID. After kill -9 it frees a
        // lock whose PID is dead, but a restarted broker often gets the same PID (PID 1 in a container),
        // and then Chronicle would refuse to write forever. Journal holds an OS file lock on the directory,
        // so a Chronicle lock found at open is always stale: let Chronicle break it after its timeout.
        System.setProperty("queue.force.unlock.mode", "ALWAYS");
    }
}
