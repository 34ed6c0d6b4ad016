package io.warren.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.Locale;

/** status and node_health_check. */
final class NodeCommands {
    private NodeCommands() {
    }

    @Command(name = "status", description = "Displays broker status: versions, uptime, memory, alarms, listeners.")
    static final class Status extends BaseCommand {
        @Override
        int run(ApiClient api, Output out) {
            JsonNode overview = api.get("/api/overview");
            JsonNode node = thisNode(api.get("/api/nodes"), overview.path("node").asText());
            JsonNode alarms = api.send("GET", "/api/health/checks/alarms", null).json();
            if (root.global.json()) {
                System.out.println(ApiClient.JSON.createObjectNode().setAll(java.util.Map.of(
                        "overview", overview, "node", node)));
                return 0;
            }
            PrintStream o = System.out;
            out.info("Status of node " + overview.path("node").asText() + " ...");
            o.println("Runtime");
            o.println();
            o.println("OS PID: " + node.path("os_pid").asText());
            o.println("OS: " + System.getProperty("os.name"));
            o.println("Uptime (seconds): " + node.path("uptime").asLong() / 1000);
            o.println("Product: " + overview.path("product_name").asText() + " "
                    + overview.path("product_version").asText());
            o.println("RabbitMQ API version: " + overview.path("rabbitmq_version").asText());
            o.println("Node name: " + overview.path("node").asText());
            o.println("Java: " + overview.path("java_version").asText());
            o.println("Processors: " + node.path("processors").asInt());
            o.println();
            o.println("Alarms");
            o.println();
            JsonNode list = alarms.path("alarms");
            if (!list.isArray() || list.isEmpty()) {
                o.println("(none)");
            } else {
                list.forEach(a -> o.println(a.path("resource").asText() + " alarm on node " + a.path("node").asText()));
            }
            o.println();
            o.println("Memory");
            o.println();
            o.println("Total memory used: " + gb(node.path("mem_used").asLong()) + " gb");
            o.println("Memory high watermark: " + gb(node.path("mem_limit").asLong()) + " gb");
            o.println();
            o.println("Free Disk Space");
            o.println();
            o.println("Free disk space: " + gb(node.path("disk_free").asLong()) + " gb");
            o.println();
            o.println("Totals");
            o.println();
            JsonNode t = overview.path("object_totals");
            o.println("Connection count: " + t.path("connections").asLong());
            o.println("Queue count: " + t.path("queues").asLong());
            o.println("Virtual host count: " + api.get("/api/vhosts").size());
            o.println();
            o.println("Listeners");
            o.println();
            for (JsonNode l : overview.path("listeners")) {
                o.println("Interface: " + l.path("ip_address").asText() + ", port: " + l.path("port").asInt()
                        + ", protocol: " + l.path("protocol").asText());
            }
            return 0;
        }

        /** In a cluster /api/nodes lists every member; status is about the one we asked. */
        private static JsonNode thisNode(JsonNode nodes, String name) {
            for (JsonNode n : nodes) {
                if (n.path("name").asText().equals(name)) {
                    return n;
                }
            }
            return nodes.path(0);
        }

        private static String gb(long bytes) {
            return String.format(Locale.ROOT, "%.4f", bytes / 1e9);
        }
    }

    /**
     * As RabbitMQ 3.10's (deprecated) node_health_check: the node answers, lists its channels and queues, and has no
     * resource alarm. Read-only: it declares nothing and publishes nothing, so it leaves nothing behind (the
     * aliveness test it once used left an {@code aliveness-test} queue in the default vhost).
     */
    @Command(name = "node_health_check",
            description = "Checks the node: it lists its channels and queues and has no resource alarms. Changes nothing.")
    static final class HealthCheck extends BaseCommand {
        @Override
        int run(ApiClient api, Output out) {
            out.info("Timeout: " + (long) root.global.timeoutSeconds() + " seconds ...");
            String node = api.get("/api/overview").path("node").asText();
            out.info("Checking health of node " + node + " ...");
            for (String path : new String[]{"/api/channels", "/api/queues"}) {
                ApiClient.Reply r = api.send("GET", path, null);
                if (!r.ok()) {
                    throw new CliException(CliException.UNAVAILABLE, "Error:\nHealth check failed: " + r.reason());
                }
            }
            ApiClient.Reply alarms = api.send("GET", "/api/health/checks/alarms", null);
            if (!alarms.ok()) {
                throw new CliException(CliException.UNAVAILABLE, "Error:\nHealth check failed: "
                        + alarms.reason());
            }
            System.out.println("Health check passed");
            return 0;
        }
    }
}
