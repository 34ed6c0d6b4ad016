package io.warren.interop.mqtt;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * clean_session=0 keeps the session's durable queue and its QoS 1 messages while the client is away, across a
 * broker restart too (retained messages as well); clean_session=1 removes it.
 */
class MqttPersistentSessionTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated();

    @BeforeAll
    static void ownBrokerOnly() {
        assumeFalse(WarrenBroker.external(), "restarts the broker");
    }

    private MqttClients mqtt;

    @BeforeEach
    void setUp() {
        mqtt = new MqttClients(broker);
    }

    @AfterEach
    void tearDown() {
        mqtt.close();
    }

    @Test
    void persistentSessionKeepsQos1MessagesAcrossARestart() throws Exception {
        MqttClients.Client sub = mqtt.connect("keeper", false);
        sub.paho.subscribe("plant/#", 1);
        sub.paho.disconnect();

        MqttClients.Client pub = mqtt.connect("publisher", true);
        pub.publish("plant/boiler", "from-mqtt".getBytes(StandardCharsets.UTF_8), 1, false);
        pub.publish("plant/state", "kept".getBytes(StandardCharsets.UTF_8), 1, true);
        pub.paho.disconnect();
        try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            ch.basicPublish("amq.topic", "plant.pump", MessageProperties.PERSISTENT_BASIC,
                    "from-amqp".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
        }

        broker.restart();

        MqttClients.Client back = mqtt.connect("keeper", false);
        MqttClients.Received a = back.next();
        MqttClients.Received b = back.next();
        MqttClients.Received c = back.next();
        assertEquals("plant/boiler", a.topic());
        assertEquals("from-mqtt", new String(a.message().getPayload(), StandardCharsets.UTF_8));
        assertEquals("plant/state", b.topic());
        assertEquals("plant/pump", c.topic());
        assertEquals("from-amqp", new String(c.message().getPayload(), StandardCharsets.UTF_8));

        MqttClients.Client fresh = mqtt.connect("late-reader", true);
        fresh.paho.subscribe("plant/state", 1);
        MqttClients.Received retained = fresh.next();
        assertTrue(retained.message().isRetained(), "the retained message survived the restart");
        assertEquals("kept", new String(retained.message().getPayload(), StandardCharsets.UTF_8));
    }

    @Test
    void cleanSessionRemovesThePersistentSessionQueue() throws Exception {
        MqttClients.Client sub = mqtt.connect("forgetful", false);
        sub.paho.subscribe("gone/#", 1);
        sub.paho.disconnect();
        try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
            ch.queueDeclarePassive("mqtt-subscription-forgetfulqos1"); // kept while away
        }
        MqttClients.Client again = mqtt.connect("forgetful", true);
        again.paho.disconnect();
        try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
            assertFalse(exists(c, "mqtt-subscription-forgetfulqos1"));
        }
    }

    private static boolean exists(Connection c, String queue) throws Exception {
        try (Channel ch = c.createChannel()) {
            ch.queueDeclarePassive(queue);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
