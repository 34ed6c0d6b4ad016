package io.warren.interop.mqtt;

import com.rabbitmq.client.Connection;
import io.warren.interop.WarrenBroker;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * MQTT connections count against --max-connections and the vhost's max-connections beside AMQP ones (a refused
 * CONNECT gets CONNACK 5, not authorized, as RabbitMQ answers its vhost limit); --mqtt-subscription-ttl sets the
 * persistent session queue's x-expires, which removes the queue once the client stayed away that long.
 */
class MqttLimitsTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--definitions", definitions().toString(),
            "--max-connections", "3", "--mqtt-subscription-ttl", "300");

    private static Path definitions() {
        try {
            Path f = Files.createTempFile("warren-mqtt-limits-", ".json");
            Files.writeString(f, """
                    {"vhosts": [{"name": "limited"}],
                     "permissions": [{"user": "guest", "vhost": "limited", "configure": ".*", "write": ".*", "read": ".*"}],
                     "parameters": [{"vhost": "limited", "component": "vhost-limits", "name": "limits",
                                     "value": {"max-connections": 1}}]}
                    """);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final BrokerHttp http = new BrokerHttp(broker);
    private MqttClients mqtt;

    @BeforeEach
    void setUp() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with limits");
        mqtt = new MqttClients(broker);
    }

    @AfterEach
    void tearDown() {
        if (mqtt != null) {
            mqtt.close();
        }
    }

    private static int refusal(MqttException e) {
        return e.getReasonCode();
    }

    @Test
    void nodeConnectionLimitCountsMqttAndAmqp() throws Exception {
        MqttClients.Client a = mqtt.connect("node-a", true);
        MqttClients.Client b = mqtt.connect("node-b", true);
        try (Connection amqp = broker.connectionFactory().newConnection()) {
            MqttSecurityException e = assertThrows(MqttSecurityException.class, () -> mqtt.connect("node-c", true));
            assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refusal(e));
            assertThrows(IOException.class, () -> broker.connectionFactory().newConnection(),
                    "the MQTT connections took the AMQP connection's slot");
        }
        a.paho.disconnect();
        mqtt.connect("node-c", true); // a slot came free
        b.paho.disconnect();
    }

    @Test
    void vhostConnectionLimitCountsMqtt() throws Exception {
        MqttClients.Client first = mqtt.connect("vhost-a", mqtt.options("limited:guest", "guest", true));
        MqttSecurityException e = assertThrows(MqttSecurityException.class,
                () -> mqtt.connect("vhost-b", mqtt.options("limited:guest", "guest", true)));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refusal(e));
        com.rabbitmq.client.ConnectionFactory f = broker.connectionFactory();
        f.setVirtualHost("limited");
        assertThrows(IOException.class, f::newConnection);
        first.paho.disconnect();
        mqtt.connect("vhost-b", mqtt.options("limited:guest", "guest", true)).paho.disconnect();
    }

    @Test
    void persistentSessionQueueExpiresAfterTheSubscriptionTtl() throws Exception {
        MqttClients.Client c = mqtt.connect("expiring", false);
        c.paho.subscribe("exp/#", 1);
        String path = "/api/queues/%2F/mqtt-subscription-expiringqos1";
        assertEquals(300, http.get(path).path("arguments").path("x-expires").asInt());
        c.paho.disconnect();
        // gone once unused for the TTL (the API's GET does not count as a use)
        long deadline = System.currentTimeMillis() + 10_000;
        int status;
        do {
            status = http.send("GET", path, null).statusCode();
        } while (status == 200 && System.currentTimeMillis() < deadline);
        assertEquals(404, status, "the queue expired");
        MqttClients.Client back = mqtt.create("expiring");
        assertFalse(back.paho.connectWithResult(mqtt.options("guest", "guest", false)).getSessionPresent(),
                "the session expired with its queue");
    }
}
