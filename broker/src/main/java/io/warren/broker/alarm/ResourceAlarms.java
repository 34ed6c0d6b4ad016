package io.warren.broker.alarm;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The broker's resource alarms (memory, disk, and the storage write backlog), as RabbitMQ has them: while any is raised, publishing
 * connections are blocked (connection.blocked, and their socket is no longer read) until all clear.
 */
public final class ResourceAlarms {
    public enum Resource {
        MEMORY("low on memory"), DISK("low on disk"),
        /**
         * Not a RabbitMQ alarm: the message store's write backlog passed its bound (a slow disk). Publishers
         * are held back the same way until it is down to half, rather than filling the heap.
         */
        STORAGE("disk writes are behind");

        private final String reason;

        Resource(String reason) {
            this.reason = reason;
        }

        /** The reason text connection.blocked carries, as RabbitMQ words it. */
        public String reason() {
            return reason;
        }
    }

    private final Set<Resource> raised = EnumSet.noneOf(Resource.class);
    private final List<Consumer<ResourceAlarms>> listeners = new CopyOnWriteArrayList<>();

    public void onChange(Consumer<ResourceAlarms> listener) {
        listeners.add(listener);
    }

    public void set(Resource r, boolean on) {
        boolean changed;
        synchronized (this) {
            changed = on ? raised.add(r) : raised.remove(r);
        }
        if (changed) {
            listeners.forEach(l -> l.accept(this));
        }
    }

    public synchronized boolean any() {
        return !raised.isEmpty();
    }

    public synchronized Set<Resource> raised() {
        return EnumSet.copyOf(raised.isEmpty() ? EnumSet.noneOf(Resource.class) : raised);
    }

    /** The reason for connection.blocked: the first raised alarm's. */
    public synchronized String reason() {
        return raised.isEmpty() ? "" : raised.iterator().next().reason();
    }
}
