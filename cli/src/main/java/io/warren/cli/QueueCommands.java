package io.warren.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** purge_queue and delete_queue, with rabbitmqctl's messages and exit codes. */
final class QueueCommands {
    private QueueCommands() {
    }

    @Command(name = "purge_queue", description = "Purges a queue (removes all messages in it).")
    static final class PurgeQueue extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Parameters(paramLabel = "queue", description = "Queue name.")
        String queue;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Purging queue '" + queue + "' in vhost '" + vhost + "' ...");
            ApiClient.Reply r = api.send("DELETE", "/api/queues/" + ApiClient.enc(vhost) + "/" + ApiClient.enc(queue)
                    + "/contents", null);
            if (r.status() == 404) {
                throw new CliException(CliException.UNAVAILABLE, "Error:\nnot_found");
            }
            if (!r.ok()) {
                throw new CliException(CliException.SOFTWARE, "Error:\n" + r.reason());
            }
            return 0;
        }
    }

    @Command(name = "delete_queue", description = "Deletes a queue.")
    static final class DeleteQueue extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Option(names = {"-u", "--if-unused"}, description = "Only delete if the queue has no consumers.")
        boolean ifUnused;

        @Option(names = {"-e", "--if-empty"}, description = "Only delete if the queue is empty.")
        boolean ifEmpty;

        @Parameters(paramLabel = "queue", description = "Queue name.")
        String queue;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Deleting queue '" + queue + "' on vhost '" + vhost + "' ...");
            String path = "/api/queues/" + ApiClient.enc(vhost) + "/" + ApiClient.enc(queue);
            ApiClient.Reply before = api.send("GET", path, null);
            // rabbitmqctl answers a missing queue with exit code 64 (observed on 3.10.8)
            if (before.status() == 404) {
                throw new CliException(CliException.USAGE, "Error:\nQueue not found");
            }
            JsonNode q = before.json();
            String query = (ifUnused ? "if-unused=true" : "") + (ifUnused && ifEmpty ? "&" : "")
                    + (ifEmpty ? "if-empty=true" : "");
            ApiClient.Reply r = api.send("DELETE", path + (query.isEmpty() ? "" : "?" + query), null);
            if (r.status() == 404) {
                throw new CliException(CliException.USAGE, "Error:\nQueue not found");
            }
            if (!r.ok()) {
                throw new CliException(CliException.SOFTWARE, "Error:\n" + r.reason());
            }
            out.info("Queue was successfully deleted with " + q.path("messages_ready").asLong() + " ready messages");
            return 0;
        }
    }

    @Command(name = "close_connection", description = "Instructs the broker to close a client connection.")
    static final class CloseConnection extends BaseCommand {
        @Parameters(index = "0", paramLabel = "connection",
                description = "Connection name as list_connections name (or pid) shows it.")
        String connection;

        @Parameters(index = "1", paramLabel = "explanation", description = "Reason the client is given.")
        String explanation;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Closing connection " + connection + ", reason: " + explanation + "...");
            ApiClient.Reply r = api.send("DELETE", "/api/connections/" + ApiClient.enc(connection), null,
                    explanation);
            if (r.status() == 404) {
                throw new CliException(CliException.UNAVAILABLE, "Error:\nno connection named '" + connection + "'");
            }
            if (!r.ok()) {
                throw new CliException(CliException.SOFTWARE, "Error:\n" + r.reason());
            }
            return 0;
        }
    }
}
