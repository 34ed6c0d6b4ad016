package io.warren.interop.mqtt;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warren.interop.WarrenBroker;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * MQTT with Eclipse Paho's Java client, as RabbitMQ's MQTT plugin behaves: publish/subscribe at QoS 0 and 1,
 * messages crossing to and from AMQP through amq.topic, retained messages, wills, client-id takeover and login
 * refusals.
 */
class MqttPahoTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.shared();

    private MqttClients mqtt;
    private Connection amqp;
    private Channel ch;
    private String id;

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        mqtt = new MqttClients(broker);
        amqp = broker.connectionFactory().newConnection();
        ch = amqp.createChannel();
        id = info.getTestMethod().orElseThrow().getName() + System.nanoTime();
    }

    @AfterEach
    void tearDown() throws Exception {
        mqtt.close();
        amqp.close();
    }

    private static byte[] allByteValues() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void publishAndSubscribeAtQos0And1() throws Exception {
        MqttClients.Client sub = mqtt.connect(id + "-sub", true);
        sub.paho.subscribe(id + "/+", 1);
        MqttClients.Client pub = mqtt.connect(id + "-pub", true);
        pub.publish(id + "/a", "zero".getBytes(StandardCharsets.UTF_8), 0, false);
        pub.publish(id + "/b", "one".getBytes(StandardCharsets.UTF_8), 1, false);
        MqttClients.Received first = sub.next();
        MqttClients.Received second = sub.next();
        assertEquals(id + "/a", first.topic());
        assertEquals("zero", new String(first.message().getPayload(), StandardCharsets.UTF_8));
        assertEquals(0, first.message().getQos(), "delivered at the lower of publish and subscription QoS");
        assertEquals(id + "/b", second.topic());
        assertEquals(1, second.message().getQos());
    }

    @Test
    void qos2SubscriptionIsGrantedQos1() throws Exception {
        MqttClients.Client sub = mqtt.connect(id, true);
        int[] granted = sub.paho.subscribeWithResponse(new String[]{id + "/x"}, new int[]{2}).getGrantedQos();
        assertEquals(1, granted[0]);
    }

    @Test
    void subscriberQueueIsNamedAsRabbitMqNamesIt() throws Exception {
        MqttClients.Client sub = mqtt.connect(id, false);
        sub.paho.subscribe(id + "/q", 1);
        AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive("mqtt-subscription-" + id + "qos1");
        assertEquals(1, ok.getConsumerCount());
        sub.paho.disconnect();
        ch.queueDelete("mqtt-subscription-" + id + "qos1");
    }

    @Test
    void mqttPublishReachesAmqpQueueByteForByte() throws Exception {
        String q = ch.queueDeclare("", false, true, true, null).getQueue();
        ch.queueBind(q, "amq.topic", id + ".sensors.*");
        MqttClients.Client pub = mqtt.connect(id, true);
        pub.publish(id + "/sensors/room1", allByteValues(), 1, false); // returns once PUBACKed
        GetResponse r = ch.basicGet(q, true);
        assertNotNull(r);
        assertEquals(id + ".sensors.room1", r.getEnvelope().getRoutingKey());
        assertArrayEquals(allByteValues(), r.getBody());
        assertEquals(2, r.getProps().getDeliveryMode(), "QoS 1 is persistent, as RabbitMQ's plugin publishes it");
        Map<String, Object> headers = r.getProps().getHeaders();
        assertEquals(1, ((Number) headers.get("x-mqtt-publish-qos")).intValue());
        assertEquals(false, headers.get("x-mqtt-dup"));
    }

    @Test
    void amqpPublishReachesMqttSubscriberByteForByte() throws Exception {
        MqttClients.Client sub = mqtt.connect(id, true);
        sub.paho.subscribe(id + "/home/+/temp", 1);
        ch.basicPublish("amq.topic", id + ".home.kitchen.temp", null, allByteValues());
        MqttClients.Received r = sub.next();
        assertEquals(id + "/home/kitchen/temp", r.topic());
        assertArrayEquals(allByteValues(), r.message().getPayload());
        assertEquals(1, r.message().getQos(), "no MQTT publisher QoS: the subscription's");
    }

    @Test
    void retainedMessageIsDeliveredOnSubscribeAndClearedByAnEmptyOne() throws Exception {
        String topic = id + "/status";
        MqttClients.Client pub = mqtt.connect(id + "-pub", true);
        pub.publish(topic, "on".getBytes(StandardCharsets.UTF_8), 1, true);
        MqttClients.Client sub = mqtt.connect(id + "-sub", true);
        sub.paho.subscribe(topic, 1);
        MqttClients.Received r = sub.next();
        assertEquals(topic, r.topic());
        assertTrue(r.message().isRetained());
        assertEquals("on", new String(r.message().getPayload(), StandardCharsets.UTF_8));

        pub.publish(topic, new byte[0], 1, true); // clears it (and reaches current subscribers)
        assertEquals(0, sub.next().message().getPayload().length);
        MqttClients.Client late = mqtt.connect(id + "-late", true);
        late.paho.subscribe(topic, 1);
        pub.publish(topic, "marker".getBytes(StandardCharsets.UTF_8), 1, false);
        MqttClients.Received first = late.next();
        assertFalse(first.message().isRetained(), "nothing retained arrives before the marker");
        assertEquals("marker", new String(first.message().getPayload(), StandardCharsets.UTF_8));
    }

    @Test
    void retainedMessagesReachWildcardSubscriptions() throws Exception {
        // Warren matches retained topics against wildcard filters as Mosquitto (and MQTT 3.1.1 3.3.1.3) do;
        // RabbitMQ 3.10's plugin looks up the exact filter only
        assumeFalse(WarrenBroker.external(), "RabbitMQ 3.10 sends retained messages to exact-topic subscriptions only");
        MqttClients.Client pub = mqtt.connect(id + "-pub", true);
        pub.publish(id + "/room1/temp", "20".getBytes(StandardCharsets.UTF_8), 1, true);
        pub.publish(id + "/room2/humidity", "40".getBytes(StandardCharsets.UTF_8), 1, true);
        MqttClients.Client sub = mqtt.connect(id + "-sub", true);
        sub.paho.subscribe(id + "/+/temp", 1);
        MqttClients.Received r = sub.next();
        assertEquals(id + "/room1/temp", r.topic());
        assertTrue(r.message().isRetained());
        pub.publish(id + "/room3/temp", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals(id + "/room3/temp", sub.next().topic(), "the humidity topic does not match: the marker is next");
    }

    @Test
    void willIsPublishedOnAbnormalDisconnectOnly() throws Exception {
        MqttClients.Client watcher = mqtt.connect(id + "-watch", true);
        watcher.paho.subscribe(id + "/will/#", 1);

        MqttConnectOptions graceful = mqtt.options("guest", "guest", true);
        graceful.setWill(id + "/will/graceful", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        MqttClients.Client polite = mqtt.connect(id + "-polite", graceful);
        polite.paho.disconnect(); // DISCONNECT: no will

        MqttConnectOptions abrupt = mqtt.options("guest", "guest", true);
        abrupt.setWill(id + "/will/abrupt", "lost".getBytes(StandardCharsets.UTF_8), 1, false);
        MqttClients.Client rude = mqtt.connect(id + "-rude", abrupt);
        rude.paho.disconnectForcibly(0, 1000, false); // socket closed without DISCONNECT

        MqttClients.Received r = watcher.next();
        assertEquals(id + "/will/abrupt", r.topic(), "the graceful client's will must not come first");
        assertEquals("lost", new String(r.message().getPayload(), StandardCharsets.UTF_8));
    }

    @Test
    void secondConnectWithSameClientIdDisconnectsTheFirst() throws Exception {
        MqttClients.Client first = mqtt.connect(id, true);
        MqttClients.Client second = mqtt.connect(id, true);
        assertNotNull(first.lost.get(10, TimeUnit.SECONDS));
        assertTrue(second.paho.isConnected());
        second.paho.subscribe(id + "/t", 0);
        second.publish(id + "/t", "still".getBytes(StandardCharsets.UTF_8), 0, false);
        assertEquals("still", new String(second.next().message().getPayload(), StandardCharsets.UTF_8));
    }

    @Test
    void badCredentialsAreRefusedWithConnackCode4() throws Exception {
        MqttClients.Client c = mqtt.create(id);
        MqttException e = assertThrows(MqttException.class, () -> c.paho.connect(mqtt.options("guest", "wrong", true)));
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, e.getReasonCode());
        MqttException unknown = assertThrows(MqttException.class,
                () -> mqtt.create(id + "u").paho.connect(mqtt.options("nobody", "x", true)));
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, unknown.getReasonCode());
    }

    @Test
    void vhostColonUserLogsIntoThatVhost() throws Exception {
        MqttClients.Client c = mqtt.connect(id, mqtt.options("/:guest", "guest", true));
        assertTrue(c.paho.isConnected());
        MqttClients.Client bad = mqtt.create(id + "-nov");
        MqttException e = assertThrows(MqttException.class,
                () -> bad.paho.connect(mqtt.options("no-such-vhost:guest", "guest", true)));
        assertFalse(bad.paho.isConnected());
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, e.getReasonCode(), "RabbitMQ 3.10 answers 4");
    }

    @Test
    void userWithoutPermissionsOnTheVhostIsRefusedWithConnackCode5() throws Exception {
        assumeFalse(WarrenBroker.external(), "creates its user through Warren's management port");
        String user = "mqtt-np-" + System.nanoTime();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
        java.net.http.HttpResponse<String> put = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + broker.httpPort() + "/api/users/" + user))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"password\":\"pw\",\"tags\":\"\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put::body);
        MqttClients.Client c = mqtt.create(id);
        MqttException e = assertThrows(MqttException.class, () -> c.paho.connect(mqtt.options(user, "pw", true)));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, e.getReasonCode());
    }
}
