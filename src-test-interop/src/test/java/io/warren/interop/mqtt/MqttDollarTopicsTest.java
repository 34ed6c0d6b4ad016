package io.warren.interop.mqtt;

import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * MQTT 3.1.1 4.7.2: a topic that starts with {@code $} ({@code $SYS/...}) does not match a subscription that
 * starts with a wildcard ({@code #}, {@code +/...}), live or retained, in a new or a resumed session; a filter
 * that names the {@code $} level gets it. (RabbitMQ 3.10's plugin delivers such topics to {@code #}; Mosquitto
 * follows the spec, as Warren does.)
 */
class MqttDollarTopicsTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.shared();

    private MqttClients mqtt;
    private String id;

    @BeforeEach
    void setUp(TestInfo info) {
        assumeFalse(WarrenBroker.external(), "RabbitMQ 3.10 matches $ topics with wildcards");
        mqtt = new MqttClients(broker);
        id = info.getTestMethod().orElseThrow().getName() + System.nanoTime();
    }

    @AfterEach
    void tearDown() {
        if (mqtt != null) {
            mqtt.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Topics received up to and including the marker, in order. */
    private List<String> receivedUntil(MqttClients.Client c, String marker) throws InterruptedException {
        List<String> topics = new ArrayList<>();
        while (topics.isEmpty() || !topics.get(topics.size() - 1).equals(marker)) {
            topics.add(c.next().topic());
        }
        return topics;
    }

    @Test
    void wildcardSubscriptionsDoNotGetDollarTopics() throws Exception {
        MqttClients.Client wild = mqtt.connect(id + "-wild", true);
        wild.paho.subscribe(new String[]{"#", "+/" + id}, new int[]{1, 0});
        MqttClients.Client named = mqtt.connect(id + "-named", true);
        named.paho.subscribe("$SYS/" + id, 1);

        MqttClients.Client pub = mqtt.connect(id + "-pub", true);
        pub.publish("$SYS/" + id, utf8("sys"), 1, false);
        pub.publish("$SYS/" + id, utf8("sys0"), 0, false);
        pub.publish("marker/" + id, utf8("marker"), 1, false);

        MqttClients.Received sys = named.next();
        assertEquals("$SYS/" + id, sys.topic(), "a filter naming the $ level gets it");
        List<String> got = receivedUntil(wild, "marker/" + id);
        assertTrue(got.stream().noneMatch(t -> t.startsWith("$")), "wildcard filters got " + got);
    }

    @Test
    void retainedDollarTopicsAreNotSentToWildcardSubscriptions() throws Exception {
        MqttClients.Client pub = mqtt.connect(id + "-pub", true);
        pub.publish("$SYS/" + id, utf8("retained"), 1, true);
        pub.publish("plain/" + id, utf8("retained"), 1, true);

        MqttClients.Client wild = mqtt.connect(id + "-wild", true);
        wild.paho.subscribe("+/" + id, 1); // retained messages follow the SUBACK, before anything published later
        pub.publish("marker/" + id, utf8("marker"), 1, false);
        List<String> got = receivedUntil(wild, "marker/" + id);
        assertEquals(List.of("plain/" + id, "marker/" + id), got);

        MqttClients.Client named = mqtt.connect(id + "-named", true);
        named.paho.subscribe("$SYS/+", 1);
        assertEquals("$SYS/" + id, named.next().topic());
        pub.publish("$SYS/" + id, new byte[0], 1, true); // clears it
        pub.publish("plain/" + id, new byte[0], 1, true);
    }

    @Test
    void resumedSessionKeepsTheRule() throws Exception {
        MqttClients.Client first = mqtt.connect(id, false);
        first.paho.subscribe("#", 1);
        first.paho.disconnect();

        MqttClients.Client pub = mqtt.connect(id + "-pub", true);
        pub.publish("$SYS/" + id, utf8("while away"), 1, false);
        pub.publish("marker/" + id, utf8("marker"), 1, false);
        MqttClients.Client back = mqtt.connect(id, false); // its filters come back from the queue's bindings
        List<String> got = receivedUntil(back, "marker/" + id);
        assertFalse(got.contains("$SYS/" + id), "the resumed '#' got " + got);

        back.paho.disconnect();
        mqtt.connect(id, true).paho.disconnect(); // a clean session removes the queue again
    }
}
