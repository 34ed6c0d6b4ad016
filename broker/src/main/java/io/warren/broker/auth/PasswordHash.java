package io.warren.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * RabbitMQ's default password hashing (rabbit_password_hashing_sha256), so user definitions move
 * between RabbitMQ and Warren unchanged: base64(salt ++ sha256(salt ++ utf8(password))) with a
 * random 4-byte salt.
 */
public final class PasswordHash {
    public static final String ALGORITHM = "rabbit_password_hashing_sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SALT_BYTES = 4;

    private PasswordHash() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return Base64.getEncoder().encodeToString(concat(salt, digest(salt, password.getBytes(StandardCharsets.UTF_8))));
    }

    /** Constant-time check of a password against a stored hash; false for a malformed hash. */
    public static boolean matches(String storedHash, byte[] password) {
        byte[] stored;
        try {
            stored = Base64.getDecoder().decode(storedHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (stored.length <= SALT_BYTES) {
            return false;
        }
        byte[] salt = Arrays.copyOf(stored, SALT_BYTES);
        byte[] expected = Arrays.copyOfRange(stored, SALT_BYTES, stored.length);
        return MessageDigest.isEqual(expected, digest(salt, password));
    }

    private static byte[] digest(byte[] salt, byte[] password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
