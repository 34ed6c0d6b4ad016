package io.warren.broker.auth;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's users, with RabbitMQ's salted SHA-256 password hashes and tags. Starts with the
 * configured default user (guest/guest, tag administrator), as RabbitMQ does.
 */
public final class UserStore {
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private volatile java.util.function.BiConsumer<String, User> listener = (name, user) -> { };

    public UserStore(String defaultUser, String defaultPassword) {
        put(new User(defaultUser, PasswordHash.hash(defaultPassword), Set.of("administrator")));
    }

    /** Hears every change: (name, user) on put, (name, null) on delete. For persistence. */
    public void setListener(java.util.function.BiConsumer<String, User> listener) {
        this.listener = listener;
    }

    public void put(User user) {
        users.put(user.name(), user);
        listener.accept(user.name(), user);
    }

    public boolean delete(String name) {
        boolean removed = users.remove(name) != null;
        if (removed) {
            listener.accept(name, null);
        }
        return removed;
    }

    public Optional<User> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public Collection<User> all() {
        return List.copyOf(users.values());
    }

    /** The user names (for the management API). */
    public Set<String> userNames() {
        return Set.copyOf(users.keySet());
    }

    /** Adds a user or changes its password and tags. */
    public void addOrUpdate(String name, String password, Set<String> tags) {
        put(new User(name, password == null ? null : PasswordHash.hash(password), tags));
    }

    /** Why a password login failed, or that it did not. */
    public enum Login { OK, BLANK_PASSWORD, INVALID_CREDENTIALS }

    /**
     * Constant-time password check against the stored hash. A blank password never logs in, whatever
     * the stored hash says (RabbitMQ's internal backend refuses it before looking at the user), and a
     * user without a password (created with none) cannot log in by password at all.
     */
    public Login login(String user, byte[] password) {
        if (password.length == 0) {
            return Login.BLANK_PASSWORD;
        }
        User u = users.get(user);
        return u != null && u.passwordHash() != null && PasswordHash.matches(u.passwordHash(), password)
                ? Login.OK : Login.INVALID_CREDENTIALS;
    }

    public boolean authenticate(String user, byte[] password) {
        return login(user, password) == Login.OK;
    }

    public boolean authenticate(String user, String password) {
        return authenticate(user, password.getBytes(StandardCharsets.UTF_8));
    }
}
