package io.warren.interop.mqtt;

import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A broker whose memory alarm is always on (1-byte watermark): an MQTT connection that publishes is no longer
 * read after its first PUBLISH, as Warren and RabbitMQ block AMQP publishers; a connection that only subscribes
 * keeps working (RabbitMQ 3.10's plugin stops reading every MQTT connection, subscribers too).
 */
class MqttAlarmTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--memory-high-watermark-bytes", "1");

    private final BrokerHttp http = new BrokerHttp(broker);
    private MqttClients mqtt;

    @BeforeEach
    void setUp() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with a tiny memory watermark");
        mqtt = new MqttClients(broker);
    }

    @AfterEach
    void tearDown() {
        if (mqtt != null) {
            mqtt.close();
        }
    }

    @Test
    void publishersAreBlockedAndSubscribersAreNot() throws Exception {
        MqttClients.Client sub = mqtt.connect("alarm-sub", true);
        sub.paho.subscribe("alarm/#", 0);
        MqttClients.Client pub = mqtt.connect("alarm-pub", true);
        pub.publish("alarm/first", "first".getBytes(StandardCharsets.UTF_8), 0, false);
        pub.publish("alarm/second", "second".getBytes(StandardCharsets.UTF_8), 0, false);
        assertEquals("alarm/first", sub.next().topic(), "the PUBLISH that made it a publisher still goes through");

        // nothing more from the blocked publisher: a marker published through the API arrives next
        http.publishToAmqTopic("alarm.marker", "marker");
        assertEquals("alarm/marker", sub.next().topic());

        // the subscriber-only connection is still read: a new subscription is granted and served
        sub.paho.subscribe("other/#", 0);
        http.publishToAmqTopic("other.x", "x");
        assertEquals("other/x", sub.next().topic());
        assertFalse(pub.lost.isDone(), "the blocked publisher keeps its connection");
    }
}
