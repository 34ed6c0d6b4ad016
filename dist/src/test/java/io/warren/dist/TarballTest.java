package io.warren.dist;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release tarball as a user gets it: unpacked into an empty directory, started with its bin/warren on a
 * PATH that holds nothing but bash, dirname and readlink (no Maven, no java: the launchers use JAVA_HOME), driven
 * with amqp-client and its own bin/warrenctl, and stopped with SIGTERM.
 */
@Timeout(180)
class TarballTest {
    private static final String VERSION = System.getProperty("warren.dist.version");

    @TempDir
    Path dir;

    @Test
    void unpacksAndRunsWithOnlyAJre() throws Exception {
        Path tarball = Path.of(System.getProperty("warren.dist.tarball"));
        assertTrue(Files.isRegularFile(tarball), "mvn package makes " + tarball);
        run(List.of("tar", "xzf", tarball.toString(), "-C", dir.toString()), Map.of(), null, 60);
        Path home = dir.resolve("warren-" + VERSION);
        for (String f : List.of("bin/warren", "bin/warrenctl", "conf/warren.conf", "conf/logback-example.xml", "LICENSE",
                "README.md", "systemd/warren.service", "lib/broker-" + VERSION + ".jar", "lib/cli-" + VERSION + ".jar")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), () -> f + " missing from the tarball");
        }
        assertTrue(Files.isExecutable(home.resolve("bin/warren")) && Files.isExecutable(home.resolve("bin/warrenctl")));
        Map<String, String> env = bareEnvironment();

        // --version, and --help: every setting it lists is in conf/warren.conf (commented) for the operator
        assertEquals("Warren " + VERSION + "\n", run(List.of(home.resolve("bin/warren").toString(), "--version"), env, dir, 60));
        String help = run(List.of(home.resolve("bin/warren").toString(), "--help"), env, dir, 60);
        String conf = Files.readString(home.resolve("conf/warren.conf"));
        Matcher m = Pattern.compile("(?m)^  --([a-z-]+) ").matcher(help);
        int settings = 0;
        while (m.find()) {
            settings++;
            String key = m.group(1);
            assertTrue(key.equals("config") || conf.contains("# " + key + " = "),
                    () -> "conf/warren.conf does not show setting " + key);
        }
        assertTrue(settings > 20, help);

        int amqp = freePort();
        int http = freePort();
        Path data = dir.resolve("data");
        Path out = dir.resolve("broker.out");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/warren").toString(), "--amqp-port", Integer.toString(amqp),
                "--http-port", Integer.toString(http), "--data-dir", data.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process broker = pb.start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!accepts(amqp)) {
                assertTrue(broker.isAlive(), () -> "broker exited: " + read(out));
                assertTrue(System.currentTimeMillis() < deadline, () -> "broker did not open " + amqp + ": " + read(out));
                Thread.sleep(100);
            }
            ConnectionFactory f = new ConnectionFactory();
            f.setPort(amqp);
            try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
                ch.queueDeclare("from-the-tarball", true, false, false, null);
                ch.basicPublish("", "from-the-tarball", null, "hello".getBytes(StandardCharsets.UTF_8));
                GetResponse r = null;
                for (int i = 0; i < 100 && r == null; i++) {
                    r = ch.basicGet("from-the-tarball", false);
                }
                assertNotNull(r);
                assertEquals("hello", new String(r.getBody(), StandardCharsets.UTF_8));
                // warrenctl from the tarball finds the broker from the broker's own WARREN_HTTP_PORT
                Map<String, String> ctlEnv = new java.util.HashMap<>(env);
                ctlEnv.put("WARREN_HTTP_PORT", Integer.toString(http));
                String queues = run(List.of(home.resolve("bin/warrenctl").toString(), "-q", "list_queues", "name",
                        "messages_unacknowledged"), ctlEnv, dir, 60);
                assertTrue(queues.lines().anyMatch(l -> l.equals("from-the-tarball\t1")), queues);
            }
        } finally {
            broker.destroy(); // SIGTERM to the JVM itself: bin/warren execs java
            assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "broker must stop on SIGTERM");
        }
        String log = read(out);
        assertTrue(Pattern.compile("(?m)^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\S* INFO  \\[main\\] Main - Warren "
                + Pattern.quote(VERSION) + " started").matcher(log).find(), log);
        assertTrue(log.contains("broker stopped"), log);
        assertTrue(Files.isDirectory(data.resolve("messages")), "data in --data-dir");
    }

    /**
     * JAVA_HOME and a PATH of a directory holding only bash, dirname and readlink: the release must not need Maven,
     * a checkout or java on the PATH.
     */
    private Map<String, String> bareEnvironment() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("path"));
        for (String tool : List.of("bash", "dirname", "readlink")) {
            Path real = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream().filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + tool));
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        return Map.of("PATH", bin.toString(), "JAVA_HOME", System.getProperty("java.home"), "HOME", dir.toString());
    }

    private static String run(List<String> cmd, Map<String, String> env, Path cwd, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (!env.isEmpty()) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), () -> cmd + " did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> cmd + " failed: " + text);
        return text;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
