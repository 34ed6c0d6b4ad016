package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The broker's command line: a problem the operator can fix is one line naming it and a non-zero exit within a few
 * seconds (no stack trace, no JVM left running); --help and --version; --log-format json with --log-file. Runs the
 * broker's main class as bin/warren does. Warren only.
 */
@Timeout(120)
class StartupErrorsTest {
    private static final long EXIT_WITHIN_MS = 15_000; // JVM start and opening the journal, on a busy CI machine

    @TempDir
    Path dir;

    @BeforeAll
    static void warrenOnly() {
        assumeFalse(WarrenBroker.external(), "runs Warren's own process");
    }

    record Run(int exit, String output) {
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = WarrenBroker.mainCommand(List.of());
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(EXIT_WITHIN_MS, TimeUnit.MILLISECONDS), "the broker must exit within "
                    + EXIT_WITHIN_MS + " ms; output: " + Files.readString(out));
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static void assertNoTrace(String output) {
        assertFalse(output.contains("\tat ") || output.contains("Exception"), () -> "a stack trace in: " + output);
    }

    @Test
    void aTakenPortIsOneLineAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Run r = run(Map.of(), "--amqp-port", Integer.toString(port), "--http-port",
                    Integer.toString(WarrenBroker.freePort()), "--data-dir", dir.resolve("data").toString());
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().contains("ERROR [main] Main - cannot listen on 0.0.0.0:" + port
                    + ": address in use (--amqp-port)\n"), r.output());
            assertNoTrace(r.output());
            // checked before the journal is opened: fast, and nothing is created
            assertFalse(Files.exists(dir.resolve("data")), "no data directory for a broker that cannot start");
        }
    }

    @Test
    void aTakenHttpPortNamesItsSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Run r = run(Map.of("WARREN_HTTP_PORT", Integer.toString(port)), "--amqp-port",
                    Integer.toString(WarrenBroker.freePort()), "--data-dir", dir.resolve("data").toString());
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().contains("cannot listen on 0.0.0.0:" + port + ": address in use (--http-port)"),
                    r.output());
            assertNoTrace(r.output());
        }
    }

    /**
     * No --cluster-secret and no DATA_DIR/cluster-secret: as Erlang's cookie, the user's
     * ~/.warren-cluster-secret is created (random, owner-only) and used, so nodes of one user on one
     * machine share it; an empty one is a one-line refusal.
     */
    @Test
    void aClusterMemberWithoutASecretUsesTheUsersSecretFileAndCreatesIt() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path secretFile = home.resolve(".warren-cluster-secret");
        List<String> cmd = WarrenBroker.mainCommand(List.of("-Duser.home=" + home));
        cmd.addAll(List.of("--node-name", "n1", "--cluster-peers", "n1=127.0.0.1:" + WarrenBroker.freePort(),
                "--data-dir", dir.resolve("member").toString(), "--amqp-port", Integer.toString(WarrenBroker.freePort()),
                "--http-port", "-1", "--mqtt-port", "-1"));
        Path out = dir.resolve("out-secret.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_WITHIN_MS);
            String log = Files.readString(out);
            while (!log.contains(" started: ") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling the log file: the process offers no other event to wait on
                log = Files.readString(out);
            }
            assertTrue(log.contains(" started: "), log);
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(Files.readString(secretFile).strip().matches("[0-9a-f]{64}"), "a random secret was written");
        assertEquals("r--------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(secretFile)), "readable by its owner only");

        Files.setPosixFilePermissions(secretFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(secretFile, "\n");
        List<String> again = WarrenBroker.mainCommand(List.of("-Duser.home=" + home));
        again.addAll(List.of("--node-name", "n1", "--cluster-peers", "n1=127.0.0.1:" + WarrenBroker.freePort(),
                "--data-dir", dir.resolve("member2").toString(), "--amqp-port", Integer.toString(WarrenBroker.freePort())));
        Path out2 = dir.resolve("out-secret-empty.txt");
        Process p2 = new ProcessBuilder(again).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out2.toFile()).start();
        try {
            assertTrue(p2.waitFor(EXIT_WITHIN_MS, TimeUnit.MILLISECONDS), Files.readString(out2));
            assertEquals(1, p2.exitValue(), Files.readString(out2));
        } finally {
            p2.destroyForcibly();
        }
        String output = Files.readString(out2);
        assertTrue(output.contains("the cluster secret file " + secretFile + " is empty: give every member the same "
                + "--cluster-secret (env WARREN_CLUSTER_SECRET), or the same file"), output);
        assertNoTrace(output);
    }

    @Test
    void aDataDirectoryThatIsAFileIsOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Run r = run(Map.of(), "--data-dir", file.toString(), "--amqp-port", Integer.toString(WarrenBroker.freePort()));
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("cannot use data directory " + file.toAbsolutePath() + ": not a directory\n"),
                r.output());
        assertNoTrace(r.output());
    }

    @Test
    void anUnusableTlsCertificateIsOneLine() throws Exception {
        Path pem = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        Run r = run(Map.of(), "--data-dir", dir.resolve("data").toString(), "--amqp-port",
                Integer.toString(WarrenBroker.freePort()), "--http-port", Integer.toString(WarrenBroker.freePort()),
                "--tls-port", Integer.toString(WarrenBroker.freePort()), "--tls-cert", pem.toString(), "--tls-key",
                pem.toString());
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("cannot use the TLS certificate " + pem + " and key " + pem + ": "), r.output());
        assertNoTrace(r.output());
    }

    @Test
    void aBadFlagOrValueIsOneLineAndExitCode2() throws Exception {
        Run unknown = run(Map.of(), "--amqp-prot", "5672");
        assertEquals(2, unknown.exit());
        assertEquals("warren: unknown option --amqp-prot (see --help)\n", unknown.output());
        Run badNumber = run(Map.of(), "--amqp-port", "five");
        assertEquals(2, badNumber.exit());
        assertEquals("warren: --amqp-port needs a number, got 'five'\n", badNumber.output());
        Run badFormat = run(Map.of("WARREN_LOG_FORMAT", "xml"));
        assertEquals(2, badFormat.exit());
        assertEquals("warren: --log-format needs text or json, got 'xml'\n", badFormat.output());
    }

    @Test
    void helpListsEverySettingWithItsDefaultAndEnvironmentVariable() throws Exception {
        Run r = run(Map.of(), "--help");
        assertEquals(0, r.exit(), r.output());
        String[] settings = {"config", "bind", "amqp-port", "http-port", "data-dir", "frame-max", "channel-max",
                "heartbeat", "max-message-size", "default-user", "default-pass", "loopback-users", "definitions",
                "tls-port", "tls-cert", "tls-key", "tls-ca-cert", "memory-high-watermark", "memory-high-watermark-bytes",
                "max-connections", "sync-interval-ms", "body-memory-limit", "handshake-timeout-ms", "event-loops", "node-name",
                "cluster-peers", "cluster-secret", "log-level",
                "log-format", "log-file"};
        // the protocol plugins' settings (MQTT) come last, in a section of their own
        int pluginSection = r.output().indexOf("\nProtocol plugin settings");
        assertTrue(pluginSection > 0, () -> "no plugin section in --help:\n" + r.output());
        String plugins = r.output().substring(pluginSection);
        for (String s : new String[]{"mqtt-port", "mqtts-port", "mqtt-max-packet-size", "mqtt-vhost", "mqtt-prefetch",
                "mqtt-default-user", "mqtt-default-pass"}) {
            String env = "WARREN_" + s.toUpperCase().replace('-', '_');
            assertTrue(plugins.lines().anyMatch(l -> l.startsWith("  --" + s + " ") && l.contains(" env " + env + ", default ")),
                    () -> "--" + s + " missing from the plugin settings:\n" + plugins);
        }
        List<String> lines = r.output().substring(0, pluginSection).lines().toList();
        for (String s : settings) {
            String env = "WARREN_" + s.toUpperCase().replace('-', '_');
            int i = indexOfPrefix(lines, "  --" + s + " ");
            assertTrue(i >= 0, () -> "--" + s + " missing from --help:\n" + r.output());
            assertTrue(lines.get(i + 1).trim().startsWith("env " + env + ", default "), lines.get(i + 1));
        }
        assertTrue(r.output().contains("env WARREN_AMQP_PORT, default 5672"), r.output());
        assertEquals(2 * settings.length, lines.stream().filter(l -> l.startsWith("  ")).count(),
                () -> "a setting --help lists that this test does not know:\n" + r.output());
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aBadPluginSettingIsOneLineAndExitCode2() throws Exception {
        Run r = run(Map.of(), "--mqtt-port", "70000", "--data-dir", dir.resolve("data").toString());
        assertEquals(2, r.exit(), r.output());
        assertEquals("warren: --mqtt-port needs a port 1..65535, or -1 for off; got 70000\n", r.output());
        assertFalse(Files.exists(dir.resolve("data")), "no data directory for a broker that cannot start");
    }

    @Test
    void aGivenMqttPortThatIsTakenIsOneLineAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Run r = run(Map.of(), "--mqtt-port", Integer.toString(port), "--amqp-port",
                    Integer.toString(WarrenBroker.freePort()), "--http-port", "-1",
                    "--data-dir", dir.resolve("data").toString());
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().contains("ERROR [main] Main - a protocol plugin did not start: cannot listen on 0.0.0.0:"
                    + port + ": "), r.output());
            assertTrue(r.output().contains("(--mqtt-port)\n"), r.output());
            assertNoTrace(r.output());
        }
    }

    /**
     * A second node on the same machine started without MQTT settings (README's cluster example) finds
     * 1883 taken by the first: it starts anyway, with MQTT off and one warning saying what to set.
     */
    @Test
    void theDefaultMqttPortTakenTurnsMqttOffWithOneWarning() throws Exception {
        ServerSocket held = null;
        try {
            try {
                held = new ServerSocket(1883); // taken already is as good: either way the broker cannot have it
            } catch (java.io.IOException alreadyTaken) {
                held = null;
            }
            List<String> cmd = WarrenBroker.mainCommand(List.of());
            cmd.addAll(List.of("--amqp-port", Integer.toString(WarrenBroker.freePort()), "--http-port", "-1",
                    "--data-dir", dir.resolve("data").toString()));
            Path out = dir.resolve("out-default-mqtt.txt");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_WITHIN_MS);
                String log = Files.readString(out);
                while (!log.contains(" started: ") && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(50); // polling the log file: the process offers no other event to wait on
                    log = Files.readString(out);
                }
                assertTrue(log.contains(" started: ") && log.contains(", mqtt off, "), log);
                assertTrue(log.contains("WARN  [main] MqttPlugin - MQTT listener off: the default port 1883 is in use"), log);
                assertTrue(log.contains("give this node its own --mqtt-port"), log);
                assertNoTrace(log);
            } finally {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            if (held != null) {
                held.close();
            }
        }
    }

    @Test
    void versionPrintsTheVersion() throws Exception {
        Run r = run(Map.of(), "--version");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().matches("Warren \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), r.output());
    }

    @Test
    void jsonLogsToARotatedFile() throws Exception {
        Path logFile = dir.resolve("logs/warren.log");
        int amqp = WarrenBroker.freePort();
        List<String> cmd = WarrenBroker.mainCommand(List.of());
        cmd.addAll(List.of("--amqp-port", Integer.toString(amqp), "--http-port", Integer.toString(WarrenBroker.freePort()),
                "--data-dir", dir.resolve("data").toString(), "--log-format", "json", "--log-file", logFile.toString()));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (!WarrenBroker.accepts(amqp)) {
                assertTrue(p.isAlive() && System.currentTimeMillis() < deadline, "broker did not start");
                Thread.sleep(100);
            }
            com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
            f.setPort(amqp);
            try (Connection c = f.newConnection()) {
                assertTrue(c.isOpen());
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(15, TimeUnit.SECONDS));
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(logFile)) {
            events.add(json.readTree(line)); // every line is one JSON object
        }
        assertTrue(events.stream().anyMatch(e -> e.path("level").asText().equals("INFO")
                && e.path("formattedMessage").asText().startsWith("accepting AMQP connection <0.")
                && e.path("timestamp").asLong() > 0), () -> "no accepted-connection event in " + events);
        assertTrue(events.stream().anyMatch(e -> e.path("formattedMessage").asText().equals("broker stopped")));
        assertEquals("", Files.readString(dir.resolve("stdout.txt")), "with --log-file nothing goes to stdout");
    }
}
