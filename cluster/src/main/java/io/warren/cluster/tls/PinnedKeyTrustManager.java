package io.warren.cluster.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trusts a TLS peer (server or client) exactly when its certificate carries the one public key every member
 * derives from the cluster secret: the handshake then proved the peer holds the matching private key, so it
 * knows the secret. Nothing else about the certificate matters (it is self-signed by that key), and there is
 * no host name check: members are addressed by IP and all share one certificate identity. An
 * {@link X509ExtendedTrustManager}, so that the JDK does not wrap it with its own endpoint identification.
 *
 * <p>A refusal is logged in one line, at most once a minute: a member started with another secret is
 * retried by Ratis several times a second, and its operator needs to hear of it, not of every retry.
 * (Peers without TLS, or without a certificate, are refused by the TLS layer before they get here.)
 */
final class PinnedKeyTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(PinnedKeyTrustManager.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private final byte[] expected;
    private final X509Certificate own;
    private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());

    PinnedKeyTrustManager(PublicKey expected, X509Certificate own) {
        this.expected = expected.getEncoded();
        this.own = own;
    }

    private void check(X509Certificate[] chain, String peer) throws CertificateException {
        if (chain == null || chain.length == 0
                || !MessageDigest.isEqual(chain[0].getPublicKey().getEncoded(), expected)) {
            long now = System.nanoTime();
            long due = nextLogAt.get();
            if (now - due >= 0 && nextLogAt.compareAndSet(due, now + LOG_EVERY_NANOS)) {
                LOG.warn("refused a Raft connection {}: it does not know this cluster's secret (--cluster-secret); "
                        + "further refusals in the next minute are not logged", peer);
            }
            throw new CertificateException("the peer does not hold the key of this cluster's secret");
        }
    }

    private static String peer(String role, SSLEngine engine) {
        return engine != null && engine.getPeerHost() != null
                ? role + " " + engine.getPeerHost() + ":" + engine.getPeerPort() : role;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "from a client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "to a node");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, "from client " + socket.getRemoteSocketAddress());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, "to node " + socket.getRemoteSocketAddress());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, peer("from a client", engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, peer("to node", engine));
    }

    /** Named in the server's certificate request, so that a client picks the certificate of this key. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {own};
    }
}
