package io.warren.cluster.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Trusts a TLS peer (server or client) exactly when its certificate carries the one public key every member
 * derives from the cluster secret: the handshake then proved the peer holds the matching private key, so it
 * knows the secret. Nothing else about the certificate matters (it is self-signed by that key), and there is
 * no host name check: members are addressed by IP and all share one certificate identity. An
 * {@link X509ExtendedTrustManager}, so that the JDK does not wrap it with its own endpoint identification.
 */
final class PinnedKeyTrustManager extends X509ExtendedTrustManager {
    private final byte[] expected;
    private final X509Certificate own;

    PinnedKeyTrustManager(PublicKey expected, X509Certificate own) {
        this.expected = expected.getEncoded();
        this.own = own;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0
                || !MessageDigest.isEqual(chain[0].getPublicKey().getEncoded(), expected)) {
            throw new CertificateException("the peer does not hold the key of this cluster's secret");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    /** Named in the server's certificate request, so that a client picks the certificate of this key. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {own};
    }
}
