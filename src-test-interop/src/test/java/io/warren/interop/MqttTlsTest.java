package io.warren.interop;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT over TLS (--mqtts-port) with the broker's certificates: mosquitto clients with a client certificate. */
@Timeout(90)
class MqttTlsTest {
    private static final Path DIR = TlsTest.makeCertificates();

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--tls-port", "0",
            "--tls-cert", DIR.resolve("server.crt").toString(), "--tls-key", DIR.resolve("server.key").toString(),
            "--tls-ca-cert", DIR.resolve("ca.crt").toString());

    @BeforeAll
    static void ownBrokerOnly() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with TLS options");
    }

    private static String[] run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "timed out: " + cmd);
        return new String[]{Integer.toString(p.exitValue()), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)};
    }

    private List<String> tool(String name, boolean withClientCert) {
        List<String> cmd = new ArrayList<>(List.of(name, "-h", "localhost", "-p", Integer.toString(broker.mqttsPort()),
                "-u", "guest", "-P", "guest", "--cafile", DIR.resolve("ca.crt").toString()));
        if (withClientCert) {
            cmd.addAll(List.of("--cert", DIR.resolve("client.crt").toString(), "--key", DIR.resolve("client.key").toString()));
        }
        return cmd;
    }

    @Test
    void mosquittoClientsPublishAndReceiveOverTls() throws Exception {
        List<String> pub = tool("mosquitto_pub", true);
        pub.addAll(List.of("-q", "1", "-r", "-t", "secure/door", "-m", "locked"));
        String[] p = run(pub);
        assertEquals("0", p[0], p[1]);
        List<String> sub = tool("mosquitto_sub", true);
        sub.addAll(List.of("-v", "-C", "1", "-W", "10", "-t", "secure/#"));
        String[] s = run(sub);
        assertEquals("0", s[0], s[1]);
        assertEquals("secure/door locked", s[1].trim());
    }

    @Test
    void clientWithoutCertificateIsRefusedWhenTheBrokerRequiresOne() throws Exception {
        List<String> pub = tool("mosquitto_pub", false);
        pub.addAll(List.of("-t", "secure/x", "-m", "x"));
        assertNotEquals("0", run(pub)[0]);
    }
}
