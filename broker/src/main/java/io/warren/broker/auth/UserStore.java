package io.warren.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's users. For now one default user (guest/guest unless configured); the access-control
 * issue brings RabbitMQ's salted SHA-256 hashes, tags and permissions.
 */
public final class UserStore {
    private final Map<String, byte[]> passwords = new ConcurrentHashMap<>();

    public UserStore(String defaultUser, String defaultPassword) {
        passwords.put(defaultUser, defaultPassword.getBytes(StandardCharsets.UTF_8));
    }

    /** The user names (for the management API). */
    public Set<String> userNames() {
        return Set.copyOf(passwords.keySet());
    }

    /** Constant-time password check. */
    public boolean authenticate(String user, byte[] password) {
        byte[] expected = passwords.get(user);
        return expected != null && MessageDigest.isEqual(expected, password);
    }
}
