package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The amqps listener: a throwaway CA made here with openssl signs the server's and a client's
 * certificate; the broker requires client certificates from that CA. amqp-client and Pika connect.
 */
@Timeout(90)
class TlsTest {
    private static final Path DIR = makeCertificates();
    private static final int TLS_PORT = freePort();

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--tls-port", Integer.toString(TLS_PORT),
            "--tls-cert", DIR.resolve("server.crt").toString(), "--tls-key", DIR.resolve("server.key").toString(),
            "--tls-ca-cert", DIR.resolve("ca.crt").toString());

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    /** CA, server cert for localhost (PKCS#8 key, as Netty reads it) and a client cert + PKCS#12 bundle. */
    static Path makeCertificates() {
        try {
            Path d = Files.createTempDirectory("warren-tls-");
            openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=Warren test CA");
            Files.writeString(d.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
            for (String who : List.of("server", "client")) {
                openssl(d, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                        "-subj", "/CN=" + (who.equals("server") ? "localhost" : "warren-client"));
                openssl(d, "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                        "-CAcreateserial", "-out", who + ".crt", "-days", "2", "-extfile", "san.ext");
            }
            openssl(d, "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
                    "-passout", "pass:changeit");
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with TLS options");
    }

    private static SSLContext clientContext(boolean withClientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(DIR.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withClientCert) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(DIR.resolve("client.p12"))) {
                keys.load(in, "changeit".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private ConnectionFactory tlsFactory(boolean withClientCert) throws Exception {
        ConnectionFactory f = broker.connectionFactory();
        f.setHost("localhost");
        f.setPort(TLS_PORT);
        f.useSslProtocol(clientContext(withClientCert));
        f.enableHostnameVerification();
        return f;
    }

    @Test
    void amqpClientConnectsOverTlsWithAClientCertificate() throws Exception {
        try (Connection c = tlsFactory(true).newConnection()) {
            Channel ch = c.createChannel();
            String q = ch.queueDeclare().getQueue();
            ch.basicPublish("", q, null, "secret".getBytes(StandardCharsets.UTF_8));
            GetResponse r = null;
            for (int i = 0; i < 50 && r == null; i++) {
                r = ch.basicGet(q, true);
                if (r == null) {
                    Thread.sleep(20);
                }
            }
            assertEquals("secret", new String(r.getBody(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        BrokerLog log = BrokerLog.mark(broker);
        ConnectionFactory f = tlsFactory(false);
        assertThrows(Exception.class, () -> f.newConnection().close());
        // an expected refusal: one line with the reason, no stack trace
        String line = log.await("TLS handshake failed");
        assertTrue(line.contains("WARN"), line);
        java.util.List<String> lines = log.lines();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
                () -> "a stack trace in " + lines);
    }

    @Test
    void thePlainListenerStillWorks() throws Exception {
        try (Connection c = broker.connectionFactory().newConnection()) {
            assertEquals(true, c.isOpen());
        }
    }

    @Test
    void pikaConnectsOverTls() throws Exception {
        Path script = PikaTest.scriptDir().resolve("tls").resolve("pika_tls.py");
        PikaTest.Result r = PikaTest.run(List.of(PikaTest.python(), script.toString(), Integer.toString(TLS_PORT),
                DIR.resolve("ca.crt").toString(), DIR.resolve("client.crt").toString(),
                DIR.resolve("client.key").toString()));
        assertEquals(0, r.exit(), r.output());
    }
}
