package io.warren.broker.cluster.link;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Mutual challenge-response over the shared cluster secret (as Erlang's cookie lets only nodes
 * that share it join): each side proves it knows the secret with an HMAC-SHA256 over both nonces,
 * its role and its name, so the secret never crosses the wire, a proof cannot be replayed on another
 * link (fresh nonces) nor reflected back (the role is part of it).
 */
final class LinkAuth {
    static final int NONCE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    LinkAuth(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /** The proof of the node named {@code node} acting as {@code role} ("dialer" or "acceptor"). */
    byte[] proof(String role, String node, byte[] dialerNonce, byte[] acceptorNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(role.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(node.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(dialerNonce);
            mac.update(acceptorNonce);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK has it
        }
    }

    /** Constant-time comparison: a mismatch must not tell how many leading bytes were right. */
    boolean verify(byte[] expected, byte[] got) {
        return MessageDigest.isEqual(expected, got);
    }
}
