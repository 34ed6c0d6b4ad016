package io.warren.cluster.tls;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretKeyPairTest {
    @Test
    void theSameSecretGivesTheSameKeyPair() {
        KeyPair a = SecretKeyPair.derive("a shared secret");
        KeyPair b = SecretKeyPair.derive("a shared secret");
        assertArrayEquals(a.getPublic().getEncoded(), b.getPublic().getEncoded());
        assertArrayEquals(a.getPrivate().getEncoded(), b.getPrivate().getEncoded());
    }

    @Test
    void anotherSecretGivesAnotherKeyPair() {
        KeyPair a = SecretKeyPair.derive("a shared secret");
        KeyPair b = SecretKeyPair.derive("a shared secreT");
        assertFalse(MessageDigest.isEqual(a.getPublic().getEncoded(), b.getPublic().getEncoded()));
        assertFalse(MessageDigest.isEqual(a.getPrivate().getEncoded(), b.getPrivate().getEncoded()));
    }

    /**
     * Pins the derivation: every member of a cluster, on whatever JVM or Warren version, must derive the
     * same key from the same secret, or members stop trusting each other. This value was computed once;
     * a change of the derivation (salt, info, curve, reduction) fails here before it splits a cluster.
     */
    @Test
    void theDerivationIsFixedAcrossJvmsAndVersions() throws Exception {
        KeyPair k = SecretKeyPair.derive("warren");
        String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(k.getPublic().getEncoded()));
        assertEquals("4dd5cfae6f710d60c8014778d95ef6155808f51e5fc43fe3f18a612fbede7dd3", fingerprint);
    }

    @Test
    void thePublicKeyBelongsToThePrivateKey() throws Exception {
        KeyPair k = SecretKeyPair.derive("a shared secret");
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(k.getPrivate());
        signer.update(new byte[] {1, 2, 3});
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(k.getPublic());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(sig));
    }

    @Test
    void anEmptySecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SecretKeyPair.derive(""));
    }
}
