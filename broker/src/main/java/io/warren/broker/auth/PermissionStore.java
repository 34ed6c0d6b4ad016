package io.warren.broker.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Permissions per (user, vhost). A user without an entry for a vhost may not even open it. */
public final class PermissionStore {
    public record Entry(String user, String vhost, Permission permission) {
    }

    /** Hears every change: the entry set, or an entry with a null permission when cleared. */
    public interface Listener {
        void changed(Entry entry);
    }

    private final Map<String, Map<String, Permission>> byUser = new ConcurrentHashMap<>();
    private volatile Listener listener = e -> { };

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    public void set(String user, String vhost, Permission p) {
        byUser.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).put(vhost, p);
        listener.changed(new Entry(user, vhost, p));
    }

    public void clear(String user, String vhost) {
        Map<String, Permission> m = byUser.get(user);
        if (m != null && m.remove(vhost) != null) {
            listener.changed(new Entry(user, vhost, null));
        }
    }

    public void clearUser(String user) {
        Map<String, Permission> m = byUser.remove(user);
        if (m != null) {
            m.keySet().forEach(v -> listener.changed(new Entry(user, v, null)));
        }
    }

    public void clearVhost(String vhost) {
        byUser.forEach((u, m) -> {
            if (m.remove(vhost) != null) {
                listener.changed(new Entry(u, vhost, null));
            }
        });
    }

    public Optional<Permission> get(String user, String vhost) {
        Map<String, Permission> m = byUser.get(user);
        return Optional.ofNullable(m == null ? null : m.get(vhost));
    }

    public List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        byUser.forEach((u, m) -> m.forEach((v, p) -> out.add(new Entry(u, v, p))));
        return out;
    }
}
