package io.warren.interop.mqtt;

import io.warren.interop.WarrenBroker;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Eclipse Paho clients for one test: what each received, when it lost its connection, and clean-up. */
final class MqttClients implements AutoCloseable {
    record Received(String topic, MqttMessage message) {
    }

    /** One client and what reached it. */
    static final class Client implements MqttCallback {
        final MqttClient paho;
        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> lost = new CompletableFuture<>();

        Client(MqttClient paho) {
            this.paho = paho;
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.complete(cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(topic, message));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        Received next() throws InterruptedException {
            Received r = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(r, "no message within 10 s");
            return r;
        }

        void publish(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
            paho.publish(topic, payload, qos, retained);
        }
    }

    private final WarrenBroker broker;
    private final List<Client> clients = new ArrayList<>();

    MqttClients(WarrenBroker broker) {
        this.broker = broker;
    }

    MqttConnectOptions options(String user, String password, boolean clean) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // no silent retry as 3.1 after a refusal
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        return o;
    }

    Client connect(String clientId, boolean clean) throws MqttException {
        return connect(clientId, options("guest", "guest", clean));
    }

    Client connect(String clientId, MqttConnectOptions options) throws MqttException {
        Client c = create(clientId);
        c.paho.connect(options);
        return c;
    }

    Client create(String clientId) throws MqttException {
        MqttClient paho = new MqttClient("tcp://localhost:" + broker.mqttPort(), clientId, new MemoryPersistence());
        Client c = new Client(paho);
        paho.setCallback(c);
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        for (Client c : clients) {
            try {
                if (c.paho.isConnected()) {
                    c.paho.disconnect(1000);
                }
            } catch (MqttException e) {
                // already gone
            }
            try {
                c.paho.close(true);
            } catch (MqttException e) {
                // already closed
            }
        }
    }
}
