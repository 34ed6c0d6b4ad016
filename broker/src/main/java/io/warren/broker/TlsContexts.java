package io.warren.broker;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.warren.broker.config.BrokerConfig;

import javax.net.ssl.SSLException;

/** Builds the amqps listener's SslContext from PEM files (Netty's SslContextBuilder reads them). */
final class TlsContexts {
    private TlsContexts() {
    }

    static SslContext server(BrokerConfig.Tls tls) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile())
                .protocols("TLSv1.3", "TLSv1.2");
        if (tls.caCert() != null) {
            b.trustManager(tls.caCert().toFile()).clientAuth(ClientAuth.REQUIRE);
        }
        return b.build();
    }
}
