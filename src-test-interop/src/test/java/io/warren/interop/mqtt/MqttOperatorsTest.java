package io.warren.interop.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.interop.WarrenBroker;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * MQTT connections as operators see them, as RabbitMQ's MQTT plugin shows them: in /api/connections (protocol
 * "MQTT 3.1.1" or "MQTT 3.1.0", the client id in client_properties, user, vhost), counted in /api/overview and
 * the Prometheus metrics, listed by warrenctl, closed by DELETE /api/connections/{name}; and a persistent
 * session's queue with RabbitMQ's 24 h x-expires. Passes against RabbitMQ 3.10 too (with -Dwarren.test.httpPort).
 */
class MqttOperatorsTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.shared();
    private static final Path ROOT = Paths.get(System.getProperty("user.dir")).toAbsolutePath().getParent();

    private final BrokerHttp http = new BrokerHttp(broker);
    private MqttClients mqtt;
    private String id;

    @BeforeEach
    void setUp(TestInfo info) {
        mqtt = new MqttClients(broker);
        id = info.getTestMethod().orElseThrow().getName() + System.nanoTime();
    }

    @AfterEach
    void tearDown() {
        mqtt.close();
    }

    @Test
    void connectionIsListedCountedAndClosable() throws Exception {
        MqttClients.Client c = mqtt.connect(id, true);
        JsonNode conn = http.mqttConnection(id);
        assertNotNull(conn, "the MQTT connection is in /api/connections");
        assertEquals("MQTT 3.1.1", conn.path("protocol").asText());
        assertEquals("guest", conn.path("user").asText());
        assertEquals("/", conn.path("vhost").asText());
        assertEquals(broker.mqttPort(), conn.path("port").asInt());
        String name = conn.path("name").asText();
        assertTrue(name.endsWith(":" + broker.mqttPort()), name);
        assertTrue(http.get("/api/overview").path("object_totals").path("connections").asInt() >= 1);

        assertEquals(204, http.send("DELETE", "/api/connections/" + BrokerHttp.enc(name), null).statusCode());
        assertNotNull(c.lost.get(10, TimeUnit.SECONDS), "the client lost its connection");
        http.await("/api/connections", cs -> {
            for (JsonNode x : cs) {
                if (name.equals(x.path("name").asText())) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void connectionIsInMetricsAndWarrenctl() throws Exception {
        assumeFalse(WarrenBroker.external(), "Warren's /metrics and warrenctl");
        mqtt.connect(id, true);
        JsonNode conn = http.mqttConnection(id);
        assertEquals(30, conn.path("timeout").asInt(), "the keepalive (RabbitMQ 3.10 shows none)");
        String metrics = http.send("GET", "/metrics", null).body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("rabbitmq_connections ") && !l.endsWith(" 0.0")), metrics);
        String name = conn.path("name").asText();
        String listed = warrenctl("list_connections", "name", "protocol", "client_properties");
        assertTrue(listed.lines().anyMatch(l -> l.startsWith(name + "\tMQTT 3.1.1\t") && l.contains(id)), listed);
    }

    @Test
    void mqtt31ConnectionShowsItsProtocol() throws Exception {
        MqttConnectOptions o = mqtt.options("guest", "guest", true);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
        mqtt.connect(id, o);
        assertEquals("MQTT 3.1.0", http.mqttConnection(id).path("protocol").asText());
    }

    @Test
    void persistentSessionQueueExpiresAfter24HoursUnused() throws Exception {
        MqttClients.Client c = mqtt.connect(id, false);
        c.paho.subscribe(id + "/t", 1);
        String queue = "mqtt-subscription-" + id + "qos1";
        JsonNode q = http.get("/api/queues/%2F/" + BrokerHttp.enc(queue));
        assertTrue(q.path("durable").asBoolean());
        assertEquals(86_400_000L, q.path("arguments").path("x-expires").asLong(), q.toString());
        c.paho.disconnect();
        http.send("DELETE", "/api/queues/%2F/" + BrokerHttp.enc(queue), null);
    }

    private String warrenctl(String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(java.util.stream.Stream.concat(
                java.util.stream.Stream.of(ROOT.resolve("bin/warrenctl").toString()), List.of(args).stream()).toList());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("WARREN"));
        env.put("WARRENCTL_CONFIG", "/dev/null");
        env.put("WARRENCTL_HOST", "localhost");
        env.put("WARRENCTL_PORT", Integer.toString(broker.httpPort()));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(50, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
