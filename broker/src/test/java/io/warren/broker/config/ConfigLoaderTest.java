package io.warren.broker.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigLoaderTest {
    @Test
    void defaultsMatchRabbitMq() {
        BrokerConfig c = ConfigLoader.load(new String[0], Map.of());
        assertEquals(5672, c.amqpPort());
        assertEquals(15672, c.httpPort());
        assertEquals(131072, c.frameMax());
        assertEquals(2047, c.channelMax());
        assertEquals(60, c.heartbeatSeconds());
        assertEquals(Path.of("data"), c.dataDir());
        assertEquals(10_000, c.handshakeTimeoutMillis());
    }

    @Test
    void handshakeTimeoutFromFlagOrEnvironmentMustBePositive() {
        assertEquals(500, ConfigLoader.load(new String[]{"--handshake-timeout-ms", "500"}, Map.of()).handshakeTimeoutMillis());
        assertEquals(2500, ConfigLoader.load(new String[0], Map.of("WARREN_HANDSHAKE_TIMEOUT_MS", "2500"))
                .handshakeTimeoutMillis());
        assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(new String[]{"--handshake-timeout-ms", "0"}, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(new String[]{"--handshake-timeout-ms", "soon"}, Map.of()));
    }

    @Test
    void eventLoopsFromFlagOrEnvironmentBetweenOneAnd1024() {
        assertEquals(0, ConfigLoader.load(new String[0], Map.of()).eventLoops()); // the broker's own choice
        assertEquals(3, ConfigLoader.load(new String[]{"--event-loops", "3"}, Map.of()).eventLoops());
        assertEquals(2, ConfigLoader.load(new String[0], Map.of("WARREN_EVENT_LOOPS", "2")).eventLoops());
        for (String bad : new String[]{"0", "-1", "many", "1025"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> ConfigLoader.load(new String[]{"--event-loops", bad}, Map.of()), bad);
        }
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.conf");
        Files.writeString(file, "amqp-port=1111\nhttp-port=2222\nbind=127.0.0.2\n");
        BrokerConfig c = ConfigLoader.load(new String[]{"--config", file.toString(), "--amqp-port=3333"},
                Map.of("WARREN_HTTP_PORT", "4444", "WARREN_AMQP_PORT", "5555"));
        assertEquals(3333, c.amqpPort());
        assertEquals(4444, c.httpPort());
        assertEquals("127.0.0.2", c.bind());
    }

    @Test
    void clusterFlagsAndTheirEnvironmentVariables() {
        BrokerConfig standalone = ConfigLoader.load(new String[0], Map.of());
        assertEquals(false, standalone.cluster().enabled());
        BrokerConfig c = ConfigLoader.load(new String[]{"--node-name", "n2"},
                Map.of("WARREN_CLUSTER_PEERS", "n1=127.0.0.1:7811,n2=127.0.0.1:7812,n3=127.0.0.1:7813"));
        assertEquals(true, c.cluster().enabled());
        assertEquals("n2", c.cluster().nodeName());
        assertEquals(3, c.cluster().peers().members().size());
        assertEquals("n3", ConfigLoader.load(new String[0], Map.of("WARREN_NODE_NAME", "n3",
                "WARREN_CLUSTER_PEERS", "n3=h:1")).cluster().nodeName());
        IllegalArgumentException notListed = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(
                new String[]{"--node-name", "n9", "--cluster-peers", "n1=127.0.0.1:7811"}, Map.of()));
        assertEquals("--cluster-peers does not list this node 'n9' (every member, itself included, must be listed)",
                notListed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(
                new String[]{"--node-name", "n1", "--cluster-peers", "n1=127.0.0.1"}, Map.of()));
    }

    @Test
    void rejectsUnknownFlagsAndBadNumbers() {
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(new String[]{"--nope", "1"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(new String[]{"--amqp-port", "x"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(new String[]{"--amqp-port"}, Map.of()));
    }

    @Test
    void maxMessageSizeIsCheckedAgainstRabbitMqsCeilingAtStart() {
        assertEquals(128L * 1024 * 1024, ConfigLoader.load(new String[0], Map.of()).maxMessageSize());
        assertEquals(536870912L, ConfigLoader.load(new String[]{"--max-message-size", "536870912"}, Map.of()).maxMessageSize());
        assertEquals(1L, ConfigLoader.load(new String[]{"--max-message-size", "1"}, Map.of()).maxMessageSize());
        for (String bad : new String[]{"536870913", "0", "-1", "lots", "99999999999999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConfigLoader.load(new String[]{"--max-message-size", bad}, Map.of()));
            assertEquals("--max-message-size must be between 1 and 536870912 bytes (512 MiB), got '" + bad + "'",
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(new String[0], Map.of("WARREN_MAX_MESSAGE_SIZE", "1073741824")));
    }

    @Test
    void pluginKeysAreAcceptedFromFlagsAndEnvironmentAndPassedOn() {
        java.util.Set<String> keys = java.util.Set.of("mqtt-port", "mqtt-vhost");
        BrokerConfig c = ConfigLoader.load(new String[]{"--mqtt-port", "1884"}, Map.of("WARREN_MQTT_VHOST", "iot"), keys);
        assertEquals(Map.of("mqtt-port", "1884", "mqtt-vhost", "iot"), c.pluginOptions());
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(new String[]{"--mqtt-port", "1884"}, Map.of()));
    }
}
