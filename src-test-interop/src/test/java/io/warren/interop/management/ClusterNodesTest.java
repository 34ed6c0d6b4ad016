package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warren.interop.Await;
import io.warren.interop.WarrenCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cluster as operators see it over HTTP, on three real processes: /api/nodes on one node shows every
 * member with the figures that member measured itself (asked for over the node link), a killed member as
 * not running; /api/overview lists every node's listeners; queues from a definitions import are homed on
 * the importing node (or the member the document names) and used from the others; the dashboard's Nodes
 * page (headless Chromium, when installed) lists the members and marks the killed one down.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    /** Every node is given this file at start, as an operator would give each the same one. */
    private static final Path BOOT_DEFINITIONS = bootDefinitions();

    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3, "--definitions", BOOT_DEFINITIONS.toString());
    /** The dashboard on n1, opened by the dashboard test and looked at again after the kill; null without Chromium. */
    private static WebDriver browser;

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void nodesShowsEveryMemberWithItsOwnFigures() throws Exception {
        // the links come up shortly after the nodes: until then a member is shown without figures
        JsonNode nodes = Await.value("every member running in /api/nodes of n1", CATCH_UP, () -> {
            JsonNode all = getJson(1, "/api/nodes");
            for (JsonNode n : all) {
                if (!n.path("running").asBoolean()) {
                    return null;
                }
            }
            return all.size() == 3 ? all : null;
        });
        for (int i = 1; i <= 3; i++) {
            JsonNode n = member(nodes, "n" + i);
            String what = n.toString();
            // the process id proves the figures were measured by that node, not by n1
            assertEquals(String.valueOf(cluster.node(i).pid()), n.path("os_pid").asText(), what);
            assertEquals("disc", n.path("type").asText(), what);
            assertTrue(n.path("mem_used").asLong() > 0, what);
            assertTrue(n.path("mem_limit").asLong() > n.path("mem_used").asLong(), what);
            assertFalse(n.path("mem_alarm").asBoolean(true), what);
            assertTrue(n.path("disk_free").asLong() > 0, what);
            assertTrue(n.path("disk_free_limit").asLong() > 0, what);
            assertFalse(n.path("disk_free_alarm").asBoolean(true), what);
            assertTrue(n.path("fd_used").asLong() > 0, what);
            assertTrue(n.path("proc_used").asLong() > 0, what);
            assertTrue(n.has("sockets_used"), what);
            assertTrue(n.path("uptime").asLong() > 0, what);
            assertTrue(n.path("partitions").isArray(), what);
        }
        JsonNode one = getJson(1, "/api/nodes/n2");
        assertEquals(String.valueOf(cluster.node(2).pid()), one.path("os_pid").asText(), one.toString());
        assertEquals(404, http(1, "GET", "/api/nodes/no-such-node", null).statusCode());
    }

    @Test
    @Order(2)
    void overviewListsTheListenersOfEveryNode() throws Exception {
        JsonNode o = getJson(2, "/api/overview");
        assertEquals("n1", o.path("cluster_name").asText());
        assertEquals("n2", o.path("node").asText());
        JsonNode listeners = o.path("listeners");
        for (int i = 1; i <= 3; i++) {
            assertTrue(hasListener(listeners, "n" + i, "amqp", cluster.node(i).port()), listeners.toString());
            assertTrue(hasListener(listeners, "n" + i, "http", cluster.node(i).httpPort()), listeners.toString());
            assertTrue(hasListener(listeners, "n" + i, "clustering", cluster.dataPort(i)), listeners.toString());
        }
    }

    @Test
    @Order(4)
    void importedQueuesAreHomedOnTheImportingNodeOrTheMemberTheyName() throws Exception {
        String defs = "{\"queues\":["
                + "{\"name\":\"imported-here\",\"vhost\":\"/\",\"durable\":true,\"auto_delete\":false,\"arguments\":{}},"
                + "{\"name\":\"imported-n3\",\"vhost\":\"/\",\"durable\":true,\"auto_delete\":false,\"arguments\":{},"
                + "\"node\":\"n3\"},"
                + "{\"name\":\"imported-unknown-node\",\"vhost\":\"/\",\"durable\":false,\"auto_delete\":false,"
                + "\"arguments\":{},\"node\":\"rabbit@elsewhere\"}]}";
        HttpResponse<String> r = http(2, "POST", "/api/definitions", defs);
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        for (int node = 1; node <= 3; node++) {
            assertEquals("n2", homeOf(node, "imported-here"));
            assertEquals("n3", homeOf(node, "imported-n3"));
            assertEquals("n2", homeOf(node, "imported-unknown-node"), "a node that is no member: the importer's");
        }
        // one queue for the cluster, not one per node: what n1 publishes, n3 gets
        try (Connection c1 = cluster.connect(1); Channel p = c1.createChannel();
             Connection c3 = cluster.connect(3); Channel g = c3.createChannel()) {
            p.confirmSelect();
            p.basicPublish("", "imported-here", null, "via n1".getBytes(StandardCharsets.UTF_8));
            p.waitForConfirmsOrDie(10_000);
            GetResponse got = g.basicGet("imported-here", true);
            assertNotNull(got, "the message n1 routed to the queue homed on n2");
            assertEquals("via n1", new String(got.getBody(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(3)
    void queuesOfTheDefinitionsFileGivenAtStartAreOneQueueEachWithOneHome() throws Exception {
        String home = homeOf(1, "boot-q");
        for (int node = 1; node <= 3; node++) {
            assertEquals(home, homeOf(node, "boot-q"), "every node agrees where the file's queue lives");
            assertEquals("n3", homeOf(node, "boot-q3"), "the member the file names");
        }
        try (Connection c1 = cluster.connect(1); Channel p = c1.createChannel();
             Connection c2 = cluster.connect(2); Channel g = c2.createChannel()) {
            p.confirmSelect();
            p.basicPublish("", "boot-q3", null, "to n3".getBytes(StandardCharsets.UTF_8));
            p.waitForConfirmsOrDie(10_000);
            GetResponse got = g.basicGet("boot-q3", true);
            assertNotNull(got, "n1 routed it to the one queue on n3, which n2 reads");
            assertEquals("to n3", new String(got.getBody(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(5)
    void theDashboardNodesPageListsEveryMemberWithItsFigures() throws Exception {
        Path chromedriver = WebDriver.chromedriver();
        assumeTrue(chromedriver != null, "chromedriver not installed (apt-get install chromium chromium-driver)");
        browser = new WebDriver(chromedriver);
        String base = "http://localhost:" + cluster.node(1).httpPort() + "/";
        browser.open(base);
        browser.type("#login-form input[name=user]", "guest");
        browser.type("#login-form input[name=pass]", "guest");
        browser.click("#login-form button");
        browser.awaitText("#who", "guest");
        browser.open(base + "#/nodes");
        for (int i = 1; i <= 3; i++) {
            browser.awaitText("#nodes-list", "n" + i);
            browser.awaitText("#nodes-list", "127.0.0.1:" + (cluster.dataPort(i) - 10_000)); // its cluster address
        }
        assertEquals(3, browser.script("return document.querySelectorAll('#nodes-list [data-state=running]').length;")
                .asInt(), "every member shown running");
        browser.awaitText("#nodes-list", " of "); // memory used of its limit
        browser.screenshot(WebDriver.screenshotFile("cluster-nodes"));
        // the overview's node panel is this node's, and its listener table names every node
        browser.open(base + "#/overview");
        browser.awaitText("#n-info", "n1");
        browser.awaitText("#n-listeners", String.valueOf(cluster.node(3).port()));
        browser.screenshot(WebDriver.screenshotFile("cluster-overview"));
    }

    @Test
    @Order(6)
    void aKilledMemberIsShownNotRunningAndItsListenersGo() throws Exception {
        cluster.node(3).kill();
        Await.until("n3 shown not running on n1", Duration.ofSeconds(15),
                () -> !member(getJson(1, "/api/nodes"), "n3").path("running").asBoolean(true));
        long started = System.nanoTime();
        JsonNode nodes = getJson(1, "/api/nodes");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5, "no wait for a dead member");
        assertFalse(member(nodes, "n3").has("mem_used"), nodes.toString());
        assertEquals(String.valueOf(cluster.node(2).pid()), member(nodes, "n2").path("os_pid").asText());
        JsonNode listeners = getJson(1, "/api/overview").path("listeners");
        assertFalse(hasListener(listeners, "n3", "amqp", cluster.node(3).port()), listeners.toString());
        assertTrue(hasListener(listeners, "n2", "amqp", cluster.node(2).port()), listeners.toString());
        if (browser != null) { // the page refreshes itself every few seconds
            browser.open("http://localhost:" + cluster.node(1).httpPort() + "/#/nodes");
            Await.until("n3 shown down on the Nodes page", Duration.ofSeconds(15), () -> browser.script(
                    "return document.querySelectorAll('#nodes-list [data-state=down]').length;").asInt() == 1);
            browser.awaitText("#nodes-list", "down");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Path bootDefinitions() {
        try {
            Path f = java.nio.file.Files.createTempFile("warren-cluster-defs", ".json");
            f.toFile().deleteOnExit();
            java.nio.file.Files.writeString(f, "{\"queues\":["
                    + "{\"name\":\"boot-q\",\"vhost\":\"/\",\"durable\":true,\"auto_delete\":false,\"arguments\":{}},"
                    + "{\"name\":\"boot-q3\",\"vhost\":\"/\",\"durable\":true,\"auto_delete\":false,"
                    + "\"arguments\":{},\"node\":\"n3\"}]}");
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The queue's node as a node shows it, once that node applied the import. */
    private static String homeOf(int node, String queue) throws InterruptedException {
        return Await.value(queue + " on node " + node, CATCH_UP, () -> {
            HttpResponse<String> r = http(node, "GET", "/api/queues/%2F/" + queue, null);
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("node").asText() : null;
        });
    }

    private static JsonNode member(JsonNode nodes, String name) {
        for (JsonNode n : nodes) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no member " + name + " in " + nodes);
    }

    private static boolean hasListener(JsonNode listeners, String node, String protocol, int port) {
        for (JsonNode l : listeners) {
            if (l.path("node").asText().equals(node) && l.path("protocol").asText().equals(protocol)
                    && l.path("port").asInt() == port) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode getJson(int node, String path) throws Exception {
        HttpResponse<String> r = http(node, "GET", path, null);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> http(int node, String method, String path, String body) throws Exception {
        return cluster.http(node, method, path, body);
    }
}
