package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs the real {@code bin/warrenctl} launcher against the broker under test. */
class WarrenctlTest extends ManagementTestBase {
    private static final Path ROOT = Paths.get(System.getProperty("user.dir")).toAbsolutePath().getParent();

    /** What one run printed and how it ended. */
    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    static Run warrenctl(String... args) throws IOException, InterruptedException {
        return warrenctl(Map.of("WARRENCTL_HOST", "localhost", "WARRENCTL_PORT", Integer.toString(httpPort())), null,
                args);
    }

    /**
     * Runs warrenctl with only {@code vars} of the WARREN and WARRENCTL variables set (and no ~/.warrenctl.conf), in
     * {@code dir} (null: the current directory).
     */
    static Run warrenctl(Map<String, String> vars, Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin/warrenctl").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("WARREN"));
        env.put("WARRENCTL_CONFIG", "/dev/null");
        env.putAll(vars);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(50, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("warrenctl " + String.join(" ", args) + " did not finish within 50 s");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    /** Runs until the output matches (RabbitMQ's statistics lag a few seconds; Warren's do not). */
    static Run until(java.util.function.Predicate<Run> done, String... args) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        Run r = warrenctl(args);
        while (!done.test(r) && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            r = warrenctl(args);
        }
        return r;
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void listQueuesPrintsLikeRabbitmqctl() throws Exception {
        String q = declareQueue();
        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", q, null, new byte[]{1});
        }
        awaitMessageCount(q, 3);
        Run r = until(run -> run.lines().contains(q + "\t3"), "list_queues");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.lines();
        assertEquals("Timeout: 60.0 seconds ...", lines.get(0));
        assertEquals("Listing queues for vhost / ...", lines.get(1));
        assertEquals("name\tmessages", lines.get(2));
        assertTrue(lines.contains(q + "\t3"), r.out());

        Run cols = until(run -> run.lines().contains(q + "\t3\t0\t3\t0\tfalse"), "list_queues", "name", "messages",
                "consumers", "messages_ready", "messages_unacknowledged", "durable");
        assertEquals("name\tmessages\tconsumers\tmessages_ready\tmessages_unacknowledged\tdurable", cols.lines().get(2));
        assertTrue(cols.lines().contains(q + "\t3\t0\t3\t0\tfalse"), cols.out());
    }

    @Test
    void quietAndJson() throws Exception {
        String q = declareQueue();
        Run quiet = warrenctl("-q", "list_queues", "name");
        assertEquals(0, quiet.exit());
        assertEquals("name", quiet.lines().get(0));
        assertTrue(quiet.lines().contains(q));
        Run after = warrenctl("list_queues", "--quiet", "--no-table-headers", "name");
        assertFalse(after.out().contains("Listing"));
        assertFalse(after.lines().contains("name"));

        Run json = warrenctl("list_queues", "--formatter", "json", "name", "messages", "durable");
        assertEquals(0, json.exit(), json.err());
        assertEquals("[", json.lines().get(0));
        JsonNode parsed = JSON.readTree(json.out());
        boolean found = false;
        for (JsonNode n : parsed) {
            if (n.get("name").asText().equals(q)) {
                found = true;
                assertEquals(0, n.get("messages").asInt());
                assertFalse(n.get("durable").asBoolean());
            }
        }
        assertTrue(found, json.out());
    }

    @Test
    void otherListings() throws Exception {
        String q = declareQueue();
        ch.basicConsume(q, false, "cli-ctag", (t, d) -> { }, t -> { });
        Run x = warrenctl("list_exchanges");
        assertEquals("Listing exchanges for vhost / ...", x.lines().get(0));
        assertTrue(x.lines().contains("amq.topic\ttopic"));
        Run b = warrenctl("-q", "list_bindings");
        assertEquals("source_name\tsource_kind\tdestination_name\tdestination_kind\trouting_key\targuments",
                b.lines().get(0));
        assertTrue(b.lines().contains("\texchange\t" + q + "\tqueue\t" + q + "\t[]"), b.out());
        Run c = until(run -> run.out().contains("cli-ctag"), "-q", "list_consumers");
        assertTrue(c.out().contains(q + "\t") && c.out().contains("\tcli-ctag\ttrue\t0\ttrue\t[]"), c.out());
        Run conns = warrenctl("-q", "list_connections", "user", "vhost", "state");
        assertTrue(conns.lines().contains("guest\t/\trunning"), conns.out());
        Run chans = warrenctl("-q", "list_channels", "user", "consumer_count");
        assertTrue(chans.lines().contains("guest\t1"), chans.out());
        Run users = warrenctl("-q", "list_users");
        assertTrue(users.lines().contains("guest\t[administrator]"), users.out());
        Run vhosts = warrenctl("list_vhosts");
        assertEquals(List.of("Listing vhosts ...", "name", "/"), vhosts.lines());
    }

    @Test
    void purgeDeleteAndClose() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, new byte[]{1});
        awaitMessageCount(q, 1);
        Run purge = warrenctl("purge_queue", q);
        assertEquals(0, purge.exit(), purge.err());
        assertEquals("Purging queue '" + q + "' in vhost '/' ...", purge.lines().get(0));
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
        Run del = warrenctl("delete_queue", q);
        assertEquals(0, del.exit(), del.err());
        assertEquals("Deleting queue '" + q + "' on vhost '/' ...", del.lines().get(0));
        // the count comes from the queue's statistics, which lag on RabbitMQ
        assertTrue(del.lines().get(1).matches("Queue was successfully deleted with \\d+ ready messages"), del.out());

        Connection c = track(factory().newConnection("cli-close-me"));
        JsonNode conns = await("/api/connections", n -> n.toString().contains("cli-close-me"));
        String name = null;
        for (JsonNode n : conns) {
            if (n.toString().contains("cli-close-me")) {
                name = n.get("name").asText();
            }
        }
        Run close = warrenctl("close_connection", name, "maintenance");
        assertEquals(0, close.exit(), close.err());
        assertEquals("CONNECTION_FORCED - maintenance", awaitConnectionError(320, c));
    }

    @Test
    void exitCodesScriptsRelyOn() throws Exception {
        Run badColumn = warrenctl("list_queues", "bogus");
        assertEquals(64, badColumn.exit());
        assertTrue(badColumn.err().contains("Info key(s) bogus are not supported"), badColumn.err());
        assertEquals(64, warrenctl("no_such_command").exit());
        assertEquals(69, warrenctl("purge_queue", uniqueName("missing")).exit());
        assertEquals(64, warrenctl("delete_queue", uniqueName("missing")).exit());
        Run auth = warrenctl("--password", "wrong", "list_queues");
        assertEquals(77, auth.exit());
        Run down = warrenctl("--port", "1", "list_queues");
        assertEquals(69, down.exit());
        assertTrue(down.err().contains("unable to perform an operation on node"), down.err());
        Run help = warrenctl("list_queues", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("Usage: warrenctl list_queues"));
    }

    @Test
    void definitionsRoundTrip(@TempDir Path dir) throws Exception {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, null);
        Path file = dir.resolve("defs.json");
        Run export = warrenctl("export_definitions", file.toString());
        assertEquals(0, export.exit(), export.err());
        assertTrue(Files.readString(file).contains("\"" + q + "\""));
        ch.queueDelete(q);
        Run imp = warrenctl("import_definitions", file.toString());
        assertEquals(0, imp.exit(), imp.err());
        ch.queueDeclarePassive(q);
        Run stdout = warrenctl("export_definitions", "-");
        assertTrue(JSON.readTree(stdout.out()).has("queues"));
        assertEquals(65, warrenctl("import_definitions", dir.resolve("missing.json").toString()).exit());
    }

    @Test
    void statusAndHealthCheck() throws Exception {
        Run status = warrenctl("status");
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.lines().get(0).startsWith("Status of node "));
        assertTrue(status.out().contains("Alarms"));
        Run health = warrenctl("node_health_check");
        assertEquals(0, health.exit(), health.err());
        assertTrue(health.out().contains("Health check passed"));
        // as RabbitMQ's: it lists channels and queues and checks alarms, and declares nothing
        Run queues = warrenctl("-q", "list_queues", "name");
        assertFalse(queues.lines().contains("aliveness-test"), queues.out());
    }

    @Test
    void queueMemoryAndPidColumnsAsRabbitmqctl() throws Exception {
        String q = declareQueue();
        // RabbitMQ's statistics (memory) reach its API a few seconds after the declare
        Run r = until(run -> run.lines().stream().anyMatch(l -> l.startsWith(q + "\t") && !l.startsWith(q + "\t\t")),
                "list_queues", "name", "memory", "pid");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.lines().contains("name\tmemory\tpid"), r.out());
        String row = r.lines().stream().filter(l -> l.startsWith(q + "\t")).findFirst().orElseThrow();
        String[] cols = row.split("\t");
        assertTrue(Long.parseLong(cols[1]) > 0, row);
        assertTrue(cols[2].startsWith("<") && cols[2].endsWith(">"), row);
    }

    @Test
    void findsTheBrokerAsTheBrokerFindsItsSettings(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String port = Integer.toString(httpPort());
        String q = declareQueue(); // only the broker under test has it, whatever else listens on 15672
        java.util.function.Predicate<Run> found = run -> run.exit() == 0 && run.lines().contains(q);
        Run env = warrenctl(Map.of("WARREN_HTTP_PORT", port), dir, "-q", "list_queues", "name");
        for (int i = 0; i < 10 && !found.test(env); i++) { // RabbitMQ's API may list a new queue a moment later
            Thread.sleep(500);
            env = warrenctl(Map.of("WARREN_HTTP_PORT", port), dir, "-q", "list_queues", "name");
        }
        assertTrue(found.test(env), env.out() + env.err());
        java.nio.file.Files.writeString(dir.resolve("warren.conf"), "# the broker's file\nhttp-port = " + port + "\n");
        Run cwdFile = warrenctl(Map.of(), dir, "-q", "list_queues", "name");
        assertTrue(found.test(cwdFile), cwdFile.out() + cwdFile.err());
        Path named = java.nio.file.Files.writeString(dir.resolve("other.conf"), "http-port=" + port + "\n");
        Run viaEnv = warrenctl(Map.of("WARREN_CONFIG", named.toString()), null, "-q", "list_queues", "name");
        assertTrue(found.test(viaEnv), viaEnv.out() + viaEnv.err());
        Run viaFlag = warrenctl(Map.of(), null, "--config", named.toString(), "-q", "list_queues", "name");
        assertTrue(found.test(viaFlag), viaFlag.out() + viaFlag.err());
    }
}
