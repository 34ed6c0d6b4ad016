package io.warren.cluster.tls;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * Mutual TLS for the Raft port (Ratis over gRPC), keyed by the cluster secret: every member presents a
 * certificate for the key pair derived from the secret ({@link SecretKeyPair}) and accepts only peers that
 * present the same key ({@link PinnedKeyTrustManager}), as servers and as clients. A process without the
 * secret can neither complete a handshake with a member nor pass for one, so it cannot read or append to any
 * Raft group; and Raft traffic (definitions, quorum queue messages) is encrypted on the wire. Nothing to set
 * up: the secret is all a node needs.
 *
 * <p>The certificate is built with BouncyCastle's X.509 builder (the JDK has no public API for one, and its
 * internal one would need {@code --add-exports} of {@code sun.security.x509}); it is signed with the JDK's
 * own provider, and no security provider is registered (a JVM-wide change).
 */
public final class RaftTls {
    private static final X500Name IDENTITY = new X500Name("CN=warren cluster member");
    /** RFC 5280's "no well-defined expiration date": the key lives as long as the secret. */
    private static final Date NO_EXPIRY = new Date(253402300799000L);
    private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

    private final GrpcTlsConfig config;

    private RaftTls(GrpcTlsConfig config) {
        this.config = config;
    }

    public static RaftTls fromSecret(String secret) {
        KeyPair keys = SecretKeyPair.derive(secret);
        try {
            X509Certificate cert = selfSigned(keys);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("raft", keys.getPrivate(), STORE_PASSWORD, new Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, STORE_PASSWORD);
            KeyManager keyManager = kmf.getKeyManagers()[0];
            return new RaftTls(new GrpcTlsConfig(keyManager, new PinnedKeyTrustManager(keys.getPublic(), cert), true));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the Raft port's TLS key: " + e.getMessage(), e);
        }
    }

    private static X509Certificate selfSigned(KeyPair keys)
            throws OperatorCreationException, GeneralSecurityException {
        // a day back: a peer whose clock is behind still sees a certificate already valid
        Date from = new Date(System.currentTimeMillis() - 24L * 3600 * 1000);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(IDENTITY, BigInteger.ONE, from, NO_EXPIRY,
                IDENTITY, keys.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    /** Ratis parameters that give every server, client and admin connection built with them this TLS. */
    public Parameters parameters() {
        Parameters p = new Parameters();
        GrpcConfigKeys.TLS.setConf(p, config);
        return p;
    }
}
