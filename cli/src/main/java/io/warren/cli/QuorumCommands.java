package io.warren.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * rabbitmq-queues' quorum queue membership verbs (add_member, delete_member, grow, shrink,
 * quorum_status) with its banners, columns, error texts and exit codes (read off 3.10.8): a refusal
 * prints "Error:" and the reason and exits 69.
 */
final class QuorumCommands {
    private QuorumCommands() {
    }

    static String queuePath(String vhost, String queue) {
        return "/api/queues/quorum/" + ApiClient.enc(vhost) + "/" + ApiClient.enc(queue);
    }

    static String nodeBody(String node) {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("node", node);
        return body.toString();
    }

    /** A refusal as rabbitmq-queues prints it; {@code classicText} for a classic queue. */
    static void check(ApiClient.Reply r, String classicText) {
        if (r.ok()) {
            return;
        }
        if (r.status() == 404) {
            throw new CliException(CliException.UNAVAILABLE, "Error:\nnot_found");
        }
        String reason = r.reason();
        throw new CliException(CliException.UNAVAILABLE, "Error:\n"
                + (reason.equals("classic_queue_not_supported") ? classicText : reason));
    }

    @Command(name = "add_member", description = "Adds a quorum queue member (replica) on the given node.")
    static final class AddMember extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Parameters(index = "0", paramLabel = "queue", description = "Quorum queue name.")
        String queue;

        @Parameters(index = "1", paramLabel = "node", description = "Node to add a new replica on.")
        String node;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Adding a replica for queue " + queue + " on node " + node + "...");
            check(api.send("POST", queuePath(vhost, queue) + "/replicas/add", nodeBody(node)),
                    "Cannot add members to a classic queue");
            return 0;
        }
    }

    @Command(name = "delete_member", description = "Removes a quorum queue member (replica) on the given node.")
    static final class DeleteMember extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Parameters(index = "0", paramLabel = "queue", description = "Quorum queue name.")
        String queue;

        @Parameters(index = "1", paramLabel = "node", description = "Node to remove the replica from.")
        String node;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Removing a replica of queue " + queue + " on node " + node + "...");
            // rabbitmq-queues 3.10.8 says "add" here too
            check(api.send("DELETE", queuePath(vhost, queue) + "/replicas/delete", nodeBody(node)),
                    "Cannot add members to a classic queue");
            return 0;
        }
    }

    /** The vhost / name / size / result table of grow and shrink. */
    static void changes(Output out, JsonNode rows, boolean errorsOnly) {
        List<List<JsonNode>> table = new ArrayList<>();
        for (JsonNode r : rows) {
            if (!errorsOnly || r.path("result").asText().startsWith("error")) {
                table.add(List.of(r.path("vhost"), r.path("name"), r.path("size"), r.path("result")));
            }
        }
        if (!table.isEmpty()) {
            out.table(List.of("vhost", "name", "size", "result"), table);
        }
    }

    @Command(name = "grow", description = "Grows quorum queue clusters by adding a member (replica) on the specified"
            + " node for all matching queues.")
    static final class Grow extends BaseCommand {
        @Parameters(index = "0", paramLabel = "node", description = "Node name to place replicas on.")
        String node;

        @Parameters(index = "1", paramLabel = "all | even",
                description = "Add a member for all matching queues or just those whose membership count is even.")
        String strategy;

        @Option(names = "--vhost-pattern", description = "Regular expression to match virtual host names.")
        String vhostPattern = ".*";

        @Option(names = "--queue-pattern", description = "Regular expression to match queue names.")
        String queuePattern = ".*";

        @Option(names = "--errors-only", description = "Only list queues which reported an error.")
        boolean errorsOnly;

        @Override
        int run(ApiClient api, Output out) {
            if (!strategy.equals("all") && !strategy.equals("even")) {
                throw usage("\"strategy '" + strategy + "' is not recognised.\"");
            }
            out.info("Growing " + strategy + " quorum queues on " + node + "...");
            ObjectNode body = ApiClient.JSON.createObjectNode();
            body.put("strategy", strategy);
            body.put("vhost_pattern", vhostPattern);
            body.put("queue_pattern", queuePattern);
            ApiClient.Reply r = api.send("POST", "/api/queues/quorum/replicas/on/" + ApiClient.enc(node) + "/grow",
                    body.toString());
            check(r, "");
            changes(out, r.json(), errorsOnly);
            return 0;
        }
    }

    @Command(name = "shrink", description = "Shrinks quorum queue clusters by removing any members (replicas) on the"
            + " given node.")
    static final class Shrink extends BaseCommand {
        @Parameters(index = "0", paramLabel = "node", description = "Node name to remove replicas from.")
        String node;

        @Option(names = "--errors-only", description = "Only list queues which reported an error.")
        boolean errorsOnly;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Shrinking quorum queues on " + node + "...");
            ApiClient.Reply r = api.send("DELETE", "/api/queues/quorum/replicas/on/" + ApiClient.enc(node) + "/shrink",
                    null);
            check(r, "");
            changes(out, r.json(), errorsOnly);
            return 0;
        }
    }

    @Command(name = "quorum_status", description = "Displays quorum status of a quorum queue.")
    static final class QuorumStatus extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Parameters(index = "0", paramLabel = "queue", description = "Quorum queue name.")
        String queue;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Status of quorum queue " + queue + " on node " + api.node() + " ...");
            ApiClient.Reply r = api.send("GET", queuePath(vhost, queue) + "/status", null);
            check(r, "Cannot get quorum status of a classic queue");
            List<List<JsonNode>> rows = new ArrayList<>();
            for (JsonNode m : r.json()) {
                boolean answered = m.hasNonNull("term");
                // a member without a snapshot yet: RabbitMQ shows "undefined"
                JsonNode snapshot = answered && m.path("snapshot_index").isNull()
                        ? ApiClient.JSON.getNodeFactory().textNode("undefined") : m.path("snapshot_index");
                rows.add(List.of(m.path("node"), m.path("raft_state"), m.path("log_index"), m.path("commit_index"),
                        snapshot, m.path("term")));
            }
            out.table(List.of("Node Name", "Raft State", "Log Index", "Commit Index", "Snapshot Index", "Term"), rows);
            return 0;
        }
    }
}
