package io.warren.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** cluster_status and forget_cluster_node, shaped like rabbitmqctl's. */
final class ClusterCommands {
    private ClusterCommands() {
    }

    @Command(name = "cluster_status", description = "Displays the cluster's members and which of them are running.")
    static final class ClusterStatus extends BaseCommand {
        @Override
        int run(ApiClient api, Output out) {
            JsonNode overview = api.get("/api/overview");
            JsonNode nodes = api.get("/api/nodes");
            if (root.global.json()) {
                System.out.println(nodes);
                return 0;
            }
            List<String> all = new ArrayList<>();
            List<String> running = new ArrayList<>();
            for (JsonNode n : nodes) {
                all.add(n.path("name").asText());
                if (n.path("running").asBoolean()) {
                    running.add(n.path("name").asText());
                }
            }
            PrintStream o = System.out;
            out.info("Cluster status of node " + overview.path("node").asText() + " ...");
            o.println("Basics");
            o.println();
            o.println("Cluster name: " + overview.path("cluster_name").asText());
            o.println();
            o.println("Disk Nodes");
            o.println();
            all.forEach(o::println);
            o.println();
            o.println("Running Nodes");
            o.println();
            running.forEach(o::println);
            return 0;
        }
    }

    @Command(name = "forget_cluster_node", description = "Removes a (stopped) node from the cluster for good.")
    static final class ForgetClusterNode extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NODE")
        String node;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Removing node " + node + " from the cluster");
            ApiClient.Reply r = api.send("DELETE", "/api/nodes/" + ApiClient.enc(node), null);
            if (r.status() == 404) {
                throw new CliException(CliException.DATAERR, "Error:\n" + r.reason());
            }
            UserCommands.check(r);
            return 0;
        }
    }
}
