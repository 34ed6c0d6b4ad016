package io.warren.interop.mqtt;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's mosquitto-clients ({@code mosquitto_pub}, {@code mosquitto_sub}) and python3-paho-mqtt, unchanged, against
 * the broker. Subscribers use persistent sessions, so nothing depends on when a running subscriber got its SUBACK.
 */
class MqttCommandLineClientsTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.shared();

    private List<String> common(String tool) {
        return new ArrayList<>(List.of(tool, "-h", "localhost", "-p", Integer.toString(broker.mqttPort()),
                "-u", "guest", "-P", "guest"));
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "timed out: " + cmd);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> cmd + " failed:\n" + out);
        return out;
    }

    /**
     * Subscribes a persistent session and exits once the SUBACK came ({@code -E}); the session's queue then
     * collects what is published until {@link #receive} reconnects to it. No waiting on a running subscriber.
     */
    private void subscribePersistent(String clientId, String filter) throws Exception {
        List<String> sub = common("mosquitto_sub");
        sub.addAll(List.of("-c", "-i", clientId, "-q", "1", "-E", "-t", filter));
        run(sub);
    }

    private String receive(String clientId, String filter) throws Exception {
        List<String> sub = common("mosquitto_sub");
        sub.addAll(List.of("-c", "-i", clientId, "-q", "1", "-v", "-C", "1", "-W", "10", "-t", filter));
        return run(sub).trim();
    }

    @Test
    void mosquittoPubReachesMosquittoSubAtQos1() throws Exception {
        String id = "cli" + System.nanoTime();
        String topic = id + "/boiler/temp";
        subscribePersistent(id, id + "/+/temp");
        List<String> pub = common("mosquitto_pub");
        pub.addAll(List.of("-q", "1", "-t", topic, "-m", "21.5"));
        run(pub);
        assertEquals(topic + " 21.5", receive(id, id + "/+/temp"));
    }

    @Test
    void amqpPublishReachesMosquittoSub() throws Exception {
        String id = "cli" + System.nanoTime();
        subscribePersistent(id, id + "/#");
        try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
            ch.basicPublish("amq.topic", id + ".door", null, "open".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(id + "/door open", receive(id, id + "/#"));
    }

    @Test
    void retainedMessageFromMosquittoPubReachesALaterMosquittoSub() throws Exception {
        String topic = "cli/" + System.nanoTime() + "/state";
        List<String> pub = common("mosquitto_pub");
        pub.addAll(List.of("-q", "1", "-r", "-t", topic, "-m", "ready"));
        run(pub);
        List<String> sub = common("mosquitto_sub");
        sub.addAll(List.of("-v", "-C", "1", "-W", "10", "-t", topic));
        assertEquals(topic + " ready", run(sub).trim());
    }

    @Test
    void pythonPahoClientsWork() throws Exception {
        Path script = Paths.get(System.getProperty("user.dir"), "src", "test", "python-mqtt", "paho_clients.py");
        String out = run(List.of(System.getProperty("warren.python", "/usr/bin/python3"), script.toString(),
                Integer.toString(broker.mqttPort())));
        assertTrue(out.contains("ok"), out);
    }
}
