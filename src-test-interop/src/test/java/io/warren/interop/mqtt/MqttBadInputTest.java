package io.warren.interop.mqtt;

import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw bytes on the MQTT port: garbage and packets announcing more than the maximum close that connection (no
 * waiting for the announced bytes), a refused protocol version gets CONNACK 1, and the broker keeps serving.
 */
class MqttBadInputTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--mqtt-max-packet-size", "1024");

    @BeforeAll
    static void ownBrokerOnly() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with --mqtt-max-packet-size and reads its log");
    }

    private Socket open() throws Exception {
        Socket s = new Socket("localhost", broker.mqttPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** A 3.1.1 CONNECT for guest/guest with the given protocol level. */
    private static byte[] connect(int level, String clientId) {
        return connect(level, clientId, 30, null);
    }

    /** A CONNECT for guest/guest; with a will topic, a QoS 1 will whose message is "dead". */
    private static byte[] connect(int level, String clientId, int keepAlive, String willTopic) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream v = new java.io.ByteArrayOutputStream();
        int flags = willTopic == null ? 0xC2 : 0xCE;
        v.writeBytes(new byte[]{0, 4, 'M', 'Q', 'T', 'T', (byte) level, (byte) flags, 0, (byte) keepAlive});
        v.write(0);
        v.write(id.length);
        v.writeBytes(id);
        if (willTopic != null) {
            byte[] t = willTopic.getBytes(StandardCharsets.UTF_8);
            v.write(0);
            v.write(t.length);
            v.writeBytes(t);
            v.writeBytes(new byte[]{0, 4, 'd', 'e', 'a', 'd'});
        }
        v.writeBytes(new byte[]{0, 5, 'g', 'u', 'e', 's', 't', 0, 5, 'g', 'u', 'e', 's', 't'});
        byte[] body = v.toByteArray();
        java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
        p.write(0x10);
        p.write(body.length);
        p.writeBytes(body);
        return p.toByteArray();
    }

    private static void assertClosed(InputStream in) throws Exception {
        int b;
        while ((b = in.read()) != -1) {
            assertTrue(b >= 0); // drain whatever came before the close
        }
    }

    @Test
    void garbageClosesTheConnectionAndOthersKeepWorking() throws Exception {
        long logStart = java.nio.file.Files.size(broker.logFile());
        int localPort;
        try (Socket s = open()) {
            localPort = s.getLocalPort();
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertClosed(s.getInputStream());
        }
        assertConnectAccepted();
        // the broker logs before it closes: the line is there; one line, no stack trace
        String log = java.nio.file.Files.readString(broker.logFile()).substring((int) logStart);
        java.util.List<String> lines = log.lines().filter(l -> l.contains(":" + localPort + " ")).toList();
        assertEquals(1, lines.size(), log);
        assertTrue(lines.get(0).contains("malformed packet"), lines.get(0));
        assertTrue(log.lines().noneMatch(l -> l.startsWith("\tat ")), log);
    }

    @Test
    void packetLargerThanTheMaximumIsRefusedBeforeItsBytesArrive() throws Exception {
        try (Socket s = open()) {
            OutputStream out = s.getOutputStream();
            out.write(connect(4, "big"));
            InputStream in = s.getInputStream();
            assertArrayEquals(new byte[]{0x20, 2, 0, 0}, in.readNBytes(4), "CONNACK accepted");
            // PUBLISH announcing 200 MB (remaining length 0xFF 0xFF 0xFF 0x5F); none of it is ever sent
            out.write(new byte[]{0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x5F, 0, 1, 'x'});
            assertClosed(in);
        }
        assertConnectAccepted();
    }

    @Test
    void unacceptableProtocolVersionGetsConnackCode1() throws Exception {
        try (Socket s = open()) {
            s.getOutputStream().write(connect(9, "v9"));
            InputStream in = s.getInputStream();
            assertArrayEquals(new byte[]{0x20, 2, 0, 1}, in.readNBytes(4));
            assertClosed(in);
        }
    }

    @Test
    void packetBeforeConnectClosesTheConnection() throws Exception {
        try (Socket s = open()) {
            s.getOutputStream().write(new byte[]{(byte) 0xC0, 0}); // PINGREQ
            assertClosed(s.getInputStream());
        }
    }

    @Test
    void silenceForOneAndAHalfKeepalivesClosesTheConnectionAndPublishesItsWill() throws Exception {
        try (MqttClients mqtt = new MqttClients(broker)) {
            MqttClients.Client watcher = mqtt.connect("watcher", true);
            watcher.paho.subscribe("keepalive/#", 1);
            try (Socket s = open()) {
                s.getOutputStream().write(connect(4, "sleepy", 1, "keepalive/sleepy"));
                InputStream in = s.getInputStream();
                assertArrayEquals(new byte[]{0x20, 2, 0, 0}, in.readNBytes(4));
                long start = System.nanoTime();
                assertClosed(in); // no PINGREQ from us
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis >= 1400 && millis < 8000, "closed after " + millis + " ms; keepalive 1 s");
            }
            MqttClients.Received will = watcher.next();
            assertEquals("keepalive/sleepy", will.topic());
            assertEquals("dead", new String(will.message().getPayload(), StandardCharsets.UTF_8));
        }
    }

    private void assertConnectAccepted() throws Exception {
        try (Socket s = open()) {
            s.getOutputStream().write(connect(4, "after"));
            assertEquals(0, s.getInputStream().readNBytes(4)[3]);
        }
    }
}
