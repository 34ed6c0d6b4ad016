package io.warren.cluster.tls;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;

/**
 * The EC P-256 key pair every member of a cluster derives from the cluster secret, and so the same on
 * every node: the secret is the trust root (as Erlang's cookie is RabbitMQ's), and holding the private
 * key is proof of knowing it. The private scalar is computed, not drawn from a seeded {@code SecureRandom}
 * fed to a {@code KeyPairGenerator}: how many bytes a JDK key generator takes from its random source, and
 * how, is its own business and may change between JDK releases, which would split a cluster of mixed JDKs.
 * Here it is HKDF-SHA256 of the secret (RFC 5869, fixed salt and info naming this use, so no other use of
 * the secret yields this key) reduced into [1, n-1] from 64 bits more than the order's size, as FIPS 186-4
 * B.4.1 makes keys from random bits (the bias is below 2^-64). The public point is d·G on the same curve.
 * Safe as long as the secret is: a secret with enough entropy (the generated one has 256 bits) gives a key
 * nobody can guess, and one who knows the secret is a member anyway.
 */
public final class SecretKeyPair {
    private static final String CURVE = "secp256r1";
    private static final byte[] SALT = "warren cluster secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INFO = "raft port tls key, ec p-256, v1".getBytes(StandardCharsets.UTF_8);

    private SecretKeyPair() {
    }

    public static KeyPair derive(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the cluster secret is empty");
        }
        X9ECParameters curve = CustomNamedCurves.getByName(CURVE);
        BigInteger n = curve.getN();
        byte[] okm = new byte[(n.bitLength() + 64 + 7) / 8];
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret.getBytes(StandardCharsets.UTF_8), SALT, INFO));
        hkdf.generateBytes(okm, 0, okm.length);
        BigInteger d = new BigInteger(1, okm).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        ECPoint q = new FixedPointCombMultiplier().multiply(curve.getG(), d).normalize();
        try {
            // the JDK's own (SunEC) keys, so that TLS signs with the JDK's provider and no provider is registered
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(CURVE));
            ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
            KeyFactory keys = KeyFactory.getInstance("EC");
            return new KeyPair(
                    keys.generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(
                            q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec)),
                    keys.generatePrivate(new ECPrivateKeySpec(d, spec)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no EC " + CURVE + " support", e);
        }
    }
}
