package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three real broker processes as one cluster: definitions made on one node exist on all, survive
 * a kill -9 of a node (which catches up when it returns) and a full restart; without a majority
 * definition changes are refused with 541 while existing queues keep working.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180) // a test restarts up to three broker JVMs at once; on a busy 2-core machine that takes a while
class ClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CATCH_UP_MS = 60_000;
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);



    @Test
    @Order(1)
    void definitionsMadeOnOneNodeExistOnEveryNodeAndRouteThere() throws Exception {
        try (Connection c = connect(1); Channel ch = c.createChannel()) {
            ch.exchangeDeclare("cx", BuiltinExchangeType.TOPIC, true);
            ch.queueDeclare("cq", true, false, false, Map.of("x-max-length", 100L));
            ch.queueBind("cq", "cx", "a.#");
            // the -ok came after commit and apply here: this node routes with it at once
            ch.basicPublish("cx", "a.here", null, "n1".getBytes(StandardCharsets.UTF_8));
            assertNotNull(awaitGet(ch, "cq"));
        }
        assertEquals(201, http(1, "PUT", "/api/users/alice", "{\"password\":\"pw\",\"tags\":\"\"}").statusCode());

        for (int n = 2; n <= 3; n++) {
            awaitExists(n, "cx", "cq");
            try (Connection c = connect(n); Channel ch = c.createChannel()) {
                // the binding made on n1 routes on this node too (with an equivalent argument type)
                ch.queueDeclare("cq", true, false, false, Map.of("x-max-length", 100L));
                ch.basicPublish("cx", "a.b", null, ("on n" + n).getBytes(StandardCharsets.UTF_8));
                GetResponse got = awaitGet(ch, "cq");
                assertEquals("on n" + n, new String(got.getBody(), StandardCharsets.UTF_8));
            }
            int node = n;
            await(() -> names(getJson(node, "/api/users")).contains("alice"));
        }
        assertEquals("n1", getJson(3, "/api/queues/%2F/cq").path("node").asText(), "hosted where it was declared");

        // a queue that deletes itself (auto-delete: its last consumer left) goes on every node
        try (Connection c = connect(1); Channel ch = c.createChannel()) {
            ch.queueDeclare("auto-deleted", false, false, true, null);
            String tag = ch.basicConsume("auto-deleted", true, (t, d) -> { }, t -> { });
            awaitExists(2, "cx", "auto-deleted");
            ch.basicCancel(tag);
        }
        awaitGone(2, "auto-deleted");
        awaitGone(1, "auto-deleted");

        JsonNode nodes = getJson(1, "/api/nodes");
        assertEquals(List.of("n1", "n2", "n3"), names(nodes));
        nodes.forEach(node -> assertTrue(node.path("running").asBoolean(), node.toString()));
        assertEquals("n1", getJson(2, "/api/overview").path("cluster_name").asText());
    }

    /**
     * As in RabbitMQ, a declare-ok means the queue or exchange exists on every node: an app that
     * declares through one node and at once uses the name through another must find it there, though
     * that node may not have applied the change yet (it catches up before it answers a miss).
     */
    @Test
    @Order(1)
    void aQueueDeclaredThroughOneNodeIsFoundAtOnceThroughTheOthers() throws Exception {
        try (Connection c1 = connect(1); Connection c2 = connect(2); Connection c3 = connect(3)) {
            Channel declaring = c2.createChannel();
            Channel first = c1.createChannel();
            Channel third = c3.createChannel();
            for (int i = 0; i < 20; i++) {
                declaring.queueDeclare("at-once-" + i, true, false, false, null);
                first.queueDeclarePassive("at-once-" + i);
                third.queueDeclarePassive("at-once-" + i);
                declaring.exchangeDeclare("at-once-x-" + i, "fanout", true);
                first.exchangeDeclarePassive("at-once-x-" + i);
                third.exchangeDeclarePassive("at-once-x-" + i);
            }
            for (int i = 0; i < 20; i++) {
                declaring.queueDelete("at-once-" + i);
                declaring.exchangeDelete("at-once-x-" + i);
            }
            // a name that exists nowhere is still a 404, once the node caught up
            IOException missing = assertThrows(IOException.class, () -> first.queueDeclarePassive("at-once-never"));
            assertTrue(String.valueOf(missing.getCause()).contains("404"), String.valueOf(missing.getCause()));
        }
    }

    /**
     * As in RabbitMQ 3 (Mnesia), a declare-ok or bind-ok means every running node routes with the change:
     * messages published through the other nodes right after it must reach the queue, neither refused
     * (404: no exchange) nor dropped as unroutable (a mandatory publish is returned then).
     */
    @Test
    @Order(1)
    void aBindingMadeThroughOneNodeRoutesAtOnceThroughTheOthers() throws Exception {
        try (Connection c1 = connect(1); Connection c2 = connect(2); Connection c3 = connect(3)) {
            Channel declaring = c2.createChannel();
            List<Channel> publishers = List.of(c1.createChannel(), c3.createChannel());
            List<String> returned = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (Channel p : publishers) {
                p.confirmSelect();
                p.addReturnListener(r -> returned.add(r.getExchange() + "/" + r.getRoutingKey()));
            }
            int rounds = 25;
            for (int i = 0; i < rounds; i++) {
                declaring.exchangeDeclare("routes-x-" + i, BuiltinExchangeType.DIRECT, false, true, null);
                declaring.queueDeclare("routes-q-" + i, false, false, false, null);
                declaring.queueBind("routes-q-" + i, "routes-x-" + i, "k");
                for (Channel p : publishers) {
                    p.basicPublish("routes-x-" + i, "k", true, null, new byte[] {1});
                    p.basicPublish("", "routes-q-" + i, true, null, new byte[] {2});
                }
            }
            for (Channel p : publishers) {
                p.waitForConfirmsOrDie(30_000); // a return comes before its message's confirm
            }
            assertEquals(List.of(), returned, "published right after the -ok, yet unroutable on that node");
            for (int i = 0; i < rounds; i++) {
                assertEquals(4, declaring.queueDeclarePassive("routes-q-" + i).getMessageCount(), "routes-q-" + i);
                declaring.queueDelete("routes-q-" + i);
                declaring.exchangeDelete("routes-x-" + i);
            }
        }
    }

    @Test
    @Order(2)
    void aKilledNodeDoesNotStopTheOthersAndCatchesUpWhenBack() throws Exception {
        cluster.node(3).kill();
        try (Connection c = connect(1); Channel ch = c.createChannel()) {
            ch.queueDeclare("while-n3-down", true, false, false, null);
            ch.exchangeDeclare("x-while-n3-down", BuiltinExchangeType.FANOUT, true);
        }
        awaitExists(2, "x-while-n3-down", "while-n3-down");
        cluster.start(3);
        awaitExists(3, "x-while-n3-down", "while-n3-down");
    }

    @Test
    @Order(3)
    void withoutAMajorityChangesAreRefusedAndExistingQueuesKeepWorking() throws Exception {
        try (Connection c = connect(1); Channel ch = c.createChannel()) {
            ch.queueDeclare("kept", true, false, false, null);
        }
        cluster.node(2).kill();
        cluster.node(3).kill();
        try (Connection c = connect(1)) {
            Channel ch = c.createChannel();
            IOException e = assertThrows(IOException.class, () -> ch.queueDeclare("refused", true, false, false, null));
            ShutdownSignalException s = (ShutdownSignalException) e.getCause();
            assertTrue(s.getMessage().contains("reply-code=541"), s.getMessage());
            assertTrue(s.getMessage().contains("no majority of the cluster's 3 nodes"), s.getMessage());
            assertTrue(c.isOpen(), "a soft error: the connection stays");

            Channel ch2 = c.createChannel();
            ch2.basicPublish("", "kept", null, "still".getBytes(StandardCharsets.UTF_8));
            assertEquals("still", new String(awaitGet(ch2, "kept").getBody(), StandardCharsets.UTF_8));
            ch2.basicPublish("cx", "a.z", null, "routed".getBytes(StandardCharsets.UTF_8));
            assertEquals("routed", new String(awaitGet(ch2, "cq").getBody(), StandardCharsets.UTF_8));
        }
        JsonNode nodes = getJson(1, "/api/nodes");
        for (JsonNode n : nodes) {
            assertEquals(n.path("name").asText().equals("n1"), n.path("running").asBoolean(), n.toString());
        }
        cluster.start(2, 3);
    }

    @Test
    @Order(4)
    void durableDefinitionsSurviveAFullRestart() throws Exception {
        for (int n = 1; n <= 3; n++) {
            cluster.node(n).kill();
        }
        cluster.startAll();
        for (int n = 1; n <= 3; n++) {
            awaitExists(n, "cx", "cq");
            awaitExists(n, "x-while-n3-down", "while-n3-down");
            int node = n;
            await(() -> names(getJson(node, "/api/users")).contains("alice"));
        }
        try (Connection c = connect(3); Channel ch = c.createChannel()) {
            ch.basicPublish("cx", "a.after", null, "after".getBytes(StandardCharsets.UTF_8));
            assertEquals("after", new String(awaitGet(ch, "cq").getBody(), StandardCharsets.UTF_8));
            ch.queueDeclare("after-restart", true, false, false, null); // and the cluster takes changes again
        }
    }

    @Test
    @Order(5)
    void warrenctlShowsTheClusterAndForgetsAMember() throws Exception {
        Run status = warrenctl(1, "cluster_status");
        assertEquals(0, status.exit, status.err);
        assertTrue(status.out.contains("Cluster name: n1"), status.out);
        cluster.node(3).kill();
        await(() -> {
            Run r = warrenctl(1, "cluster_status");
            String running = r.out.substring(r.out.indexOf("Running Nodes"));
            return running.contains("n1") && running.contains("n2") && !running.contains("n3");
        });
        Run forget = warrenctl(1, "forget_cluster_node", "n3");
        assertEquals(0, forget.exit, forget.err + forget.out);
        assertEquals(List.of("n1", "n2"), names(getJson(2, "/api/nodes")));
        try (Connection c = connect(2); Channel ch = c.createChannel()) {
            ch.queueDeclare("two-node-cluster", true, false, false, null);
        }
        awaitExists(1, "cx", "two-node-cluster");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Connection connect(int node) throws Exception {
        return cluster.connect(node);
    }

    /** Waits until the node has the exchange and the queue (passive declares; a miss closes only its channel). */
    private static void awaitExists(int node, String exchange, String queue) throws Exception {
        try (Connection c = connect(node)) {
            await(() -> {
                Channel ch = c.createChannel();
                try {
                    ch.exchangeDeclarePassive(exchange);
                    ch.queueDeclarePassive(queue);
                    ch.close();
                    return true;
                } catch (IOException missing) {
                    return false;
                }
            });
        }
    }

    private static void awaitGone(int node, String queue) throws Exception {
        try (Connection c = connect(node)) {
            await(() -> {
                Channel ch = c.createChannel();
                try {
                    ch.queueDeclarePassive(queue);
                    ch.close();
                    return false;
                } catch (IOException gone) {
                    return true;
                }
            });
        }
    }

    private static GetResponse awaitGet(Channel ch, String queue) throws Exception {
        GetResponse[] got = new GetResponse[1];
        await(() -> (got[0] = ch.basicGet(queue, true)) != null);
        return got[0];
    }

    /** Polls with a deadline: for "this node caught up", there is no event to wait on from outside. */
    private static void await(Callable<Boolean> condition) throws Exception {
        Await.until("the node caught up", Duration.ofMillis(CATCH_UP_MS), condition);
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    private static HttpResponse<String> http(int node, String method, String path, String body) throws Exception {
        return cluster.http(node, method, path, body);
    }

    private static JsonNode getJson(int node, String path) throws Exception {
        HttpResponse<String> r = http(node, "GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run warrenctl(int node, String... args) throws Exception {
        Path root = Paths.get(System.getProperty("user.dir")).toAbsolutePath().getParent();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/warrenctl").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("WARRENCTL_HOST", "localhost");
        pb.environment().put("WARRENCTL_PORT", Integer.toString(cluster.node(node).httpPort()));
        pb.environment().put("WARRENCTL_CONFIG", "/dev/null");
        Process p = pb.start();
        p.getOutputStream().close();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("warrenctl did not finish within 60 s");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
