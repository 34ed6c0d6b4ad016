package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * RabbitMQ's own {@code rabbitmqadmin} (shipped with Debian's rabbitmq-server) against Warren's API:
 * the proof that existing scripts work unchanged. Skipped where rabbitmqadmin is not installed.
 */
class RabbitmqadminTest extends ManagementTestBase {
    private static final Path RABBITMQADMIN = Path.of("/usr/bin/rabbitmqadmin");

    private static String admin(String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(RABBITMQADMIN), "rabbitmqadmin not installed");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", RABBITMQADMIN.toString(), "-H", "localhost",
                "-P", Integer.toString(httpPort()), "-u", "guest", "-p", "guest"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("rabbitmqadmin " + String.join(" ", args) + " did not finish within 30 s");
        }
        String text = out.join();
        assertEquals(0, p.exitValue(), "rabbitmqadmin " + String.join(" ", args) + ": " + text);
        return text;
    }

    @Test
    void declarePublishListGetDelete() throws Exception {
        String q = queueName();
        assertTrue(admin("declare", "queue", "name=" + q, "durable=false").contains("queue declared"));
        ch.queueDeclarePassive(q);
        assertTrue(admin("publish", "routing_key=" + q, "payload=hello admin").contains("Message published"));
        awaitMessageCount(q, 1);
        String list = admin("-f", "tsv", "list", "queues", "name", "messages");
        assertTrue(list.contains(q + "\t1"), list);
        JsonNode got = JSON.readTree(admin("-f", "raw_json", "get", "queue=" + q, "ackmode=ack_requeue_false"));
        assertEquals("hello admin", got.get(0).get("payload").asText());
        awaitMessageCount(q, 0);
        assertTrue(admin("delete", "queue", "name=" + q).contains("queue deleted"));
        assertChannelError(404, ch, () -> ch.queueDeclarePassive(q));
    }

    @Test
    void exchangesBindingsOverviewAndExport(@TempDir Path dir) throws Exception {
        String x = exchangeName();
        String q = declareQueue();
        admin("declare", "exchange", "name=" + x, "type=fanout", "durable=false");
        admin("declare", "binding", "source=" + x, "destination=" + q, "destination_type=queue");
        ch.basicPublish(x, "", null, "fanned".getBytes(StandardCharsets.UTF_8));
        assertEquals("fanned", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.UTF_8));
        String bindings = admin("-f", "tsv", "list", "bindings", "source", "destination");
        assertTrue(bindings.contains(x + "\t" + q), bindings);
        JsonNode overview = JSON.readTree(admin("-f", "raw_json", "show", "overview"));
        assertTrue(overview.get(0).has("object_totals"));
        Path file = dir.resolve("defs.json");
        admin("export", file.toString());
        assertTrue(Files.readString(file).contains("\"" + x + "\""));
        admin("delete", "exchange", "name=" + x);
        assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(x));
    }
}
