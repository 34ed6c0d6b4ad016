package io.warren.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * rabbitmqctl's list_* commands: the same column names (info keys), defaults and headers. Each
 * column reads one field of the management API's JSON for that object.
 */
final class ListCommands {
    private ListCommands() {
    }

    /** The shared machinery: pick columns, fetch, print. */
    abstract static class ListCommand extends BaseCommand {
        @Parameters(paramLabel = "column", arity = "0..*", description = "Columns to show (info keys).")
        List<String> requested = new ArrayList<>();

        abstract Map<String, Function<JsonNode, JsonNode>> columns();

        abstract List<String> defaults();

        abstract String path();

        abstract void announce(Output out);

        @Override
        int run(ApiClient api, Output out) {
            return list(api, out, columns(), requested.isEmpty() ? defaults() : requested, this::path,
                    () -> announce(out), this::usage);
        }
    }

    /**
     * Checks the columns (64 for an unknown one, before anything is printed), announces, fetches
     * {@code path} and prints the rows.
     */
    static int list(ApiClient api, Output out, Map<String, Function<JsonNode, JsonNode>> columns, List<String> cols,
                    java.util.function.Supplier<String> path, Runnable announce,
                    Function<String, CliException> usage) {
        List<String> unknown = new ArrayList<>();
        for (String c : cols) {
            if (!columns.containsKey(c)) {
                unknown.add(c);
            }
        }
        if (!unknown.isEmpty()) {
            throw usage.apply("Info key(s) " + String.join(",", unknown) + " are not supported");
        }
        announce.run();
        JsonNode items = api.get(path.get());
        List<List<JsonNode>> rows = new ArrayList<>();
        for (JsonNode item : items) {
            List<JsonNode> row = new ArrayList<>(cols.size());
            for (String c : cols) {
                JsonNode v = columns.get(c).apply(item);
                row.add(v == null || v.isMissingNode() ? JsonNodeFactory.instance.nullNode() : v);
            }
            rows.add(row);
        }
        out.table(cols, rows);
        return 0;
    }

    /** Column name → field of the API object (dotted for nested fields). */
    static Map<String, Function<JsonNode, JsonNode>> fields(String... pairs) {
        Map<String, Function<JsonNode, JsonNode>> m = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            String col = eq < 0 ? p : p.substring(0, eq);
            String field = eq < 0 ? p : p.substring(eq + 1);
            if (field.startsWith("'")) {
                String constant = field.substring(1);
                m.put(col, n -> JsonNodeFactory.instance.textNode(constant));
                continue;
            }
            String[] path = field.split("\\.");
            m.put(col, n -> {
                JsonNode cur = n;
                for (String s : path) {
                    cur = cur == null ? null : cur.get(s);
                }
                return cur;
            });
        }
        return m;
    }

    abstract static class VhostListCommand extends ListCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";
    }

    @Command(name = "list_queues", description = "Lists queues and their properties.")
    static final class ListQueues extends VhostListCommand {
        private static final Map<String, Function<JsonNode, JsonNode>> COLUMNS = withQueuePid(fields("name", "durable",
                "auto_delete", "arguments", "policy", "exclusive", "messages", "messages_ready",
                "messages_unacknowledged", "consumers", "message_bytes", "message_bytes_ready", "state", "type",
                "owner_pid=owner_pid_details.name", "exclusive_consumer_tag", "vhost", "memory", "segments"));

        /**
         * RabbitMQ's pid is the queue's Erlang process, e.g. {@code <rabbit@host.1796558308.823.0>}; Warren has no
         * processes, so it shows what identifies the queue in the same shape: {@code <node.vhost.name>}. Scripts
         * that only compare or print pids keep working.
         */
        private static Map<String, Function<JsonNode, JsonNode>> withQueuePid(Map<String, Function<JsonNode, JsonNode>> m) {
            m.put("pid", q -> JsonNodeFactory.instance.textNode("<" + q.path("node").asText() + "."
                    + q.path("vhost").asText() + "." + q.path("name").asText() + ">"));
            return m;
        }

        @Override
        Map<String, Function<JsonNode, JsonNode>> columns() {
            return COLUMNS;
        }

        @Override
        List<String> defaults() {
            return List.of("name", "messages");
        }

        @Override
        String path() {
            return "/api/queues/" + ApiClient.enc(vhost);
        }

        @Override
        void announce(Output out) {
            out.info("Timeout: " + root.global.timeoutSeconds() + " seconds ...");
            out.info("Listing queues for vhost " + vhost + " ...");
        }
    }

    @Command(name = "list_exchanges", description = "Lists exchanges.")
    static final class ListExchanges extends VhostListCommand {
        private static final Map<String, Function<JsonNode, JsonNode>> COLUMNS = fields("name", "type", "durable",
                "auto_delete", "internal", "arguments", "policy", "vhost");

        @Override
        Map<String, Function<JsonNode, JsonNode>> columns() {
            return COLUMNS;
        }

        @Override
        List<String> defaults() {
            return List.of("name", "type");
        }

        @Override
        String path() {
            return "/api/exchanges/" + ApiClient.enc(vhost);
        }

        @Override
        void announce(Output out) {
            out.info("Listing exchanges for vhost " + vhost + " ...");
        }
    }

    @Command(name = "list_bindings", description = "Lists all bindings on a vhost.")
    static final class ListBindings extends VhostListCommand {
        private static final Map<String, Function<JsonNode, JsonNode>> COLUMNS = fields("source_name=source",
                "source_kind='exchange", "destination_name=destination", "destination_kind=destination_type",
                "routing_key", "arguments", "vhost");

        @Override
        Map<String, Function<JsonNode, JsonNode>> columns() {
            return COLUMNS;
        }

        @Override
        List<String> defaults() {
            return List.of("source_name", "source_kind", "destination_name", "destination_kind", "routing_key",
                    "arguments");
        }

        @Override
        String path() {
            return "/api/bindings/" + ApiClient.enc(vhost);
        }

        @Override
        void announce(Output out) {
            out.info("Listing bindings for vhost " + vhost + "...");
        }
    }

    @Command(name = "list_connections", description = "Lists client connections (AMQP 0-9-1, and MQTT: see the protocol column).")
    static final class ListConnections extends ListCommand {
        private static final Map<String, Function<JsonNode, JsonNode>> COLUMNS = fields("pid=name", "name", "port",
                "host", "peer_port", "peer_host", "ssl", "user", "vhost", "timeout", "frame_max", "channel_max",
                "client_properties", "connected_at", "state", "channels", "protocol", "auth_mechanism",
                "user_provided_name", "type", "node", "user_who_performed_action");

        @Override
        Map<String, Function<JsonNode, JsonNode>> columns() {
            return COLUMNS;
        }

        @Override
        List<String> defaults() {
            return List.of("user", "peer_host", "peer_port", "state");
        }

        @Override
        String path() {
            return "/api/connections";
        }

        @Override
        void announce(Output out) {
            out.info("Listing connections ...");
        }
    }

    @Command(name = "list_channels", description = "Lists channels across all connections.")
    static final class ListChannels extends ListCommand {
        private static final Map<String, Function<JsonNode, JsonNode>> COLUMNS = fields("pid=name",
                "connection=connection_details.name", "name", "number", "user", "vhost", "transactional", "confirm",
                "consumer_count", "messages_unacknowledged", "messages_uncommitted", "acks_uncommitted",
                "messages_unconfirmed", "prefetch_count", "global_prefetch_count", "state");

        @Override
        Map<String, Function<JsonNode, JsonNode>> columns() {
            return COLUMNS;
        }

        @Override
        List<String> defaults() {
            return List.of("pid", "user", "consumer_count", "messages_unacknowledged");
        }

        @Override
        String path() {
            return "/api/channels";
        }

        @Override
        void announce(Output out) {
            out.info("Listing channels ...");
        }
    }

    @Command(name = "list_consumers", description = "Lists all consumers for a vhost.")
    static final class ListConsumers extends VhostListCommand {
        private static final Map<String, Function<JsonNode, JsonNode>> COLUMNS = fields("queue_name=queue.name",
                "channel_pid=channel_details.name", "consumer_tag", "ack_required", "prefetch_count", "active",
                "activity_status", "arguments");

        @Override
        Map<String, Function<JsonNode, JsonNode>> columns() {
            return COLUMNS;
        }

        @Override
        List<String> defaults() {
            return List.of("queue_name", "channel_pid", "consumer_tag", "ack_required", "prefetch_count", "active",
                    "arguments");
        }

        @Override
        String path() {
            return "/api/consumers/" + ApiClient.enc(vhost);
        }

        @Override
        void announce(Output out) {
            out.info("Listing consumers in vhost " + vhost + " ...");
        }
    }

    @Command(name = "list_users", description = "Lists users and their tags.")
    static final class ListUsers extends ListCommand {
        private static final Map<String, Function<JsonNode, JsonNode>> COLUMNS = fields("user=name", "tags");

        @Override
        Map<String, Function<JsonNode, JsonNode>> columns() {
            return COLUMNS;
        }

        @Override
        List<String> defaults() {
            return List.of("user", "tags");
        }

        @Override
        String path() {
            return "/api/users";
        }

        @Override
        void announce(Output out) {
            out.info("Listing users ...");
        }
    }

    @Command(name = "list_vhosts", description = "Lists virtual hosts.")
    static final class ListVhosts extends ListCommand {
        private static final Map<String, Function<JsonNode, JsonNode>> COLUMNS = fields("name", "description",
                "tags", "tracing", "default_queue_type");

        @Override
        Map<String, Function<JsonNode, JsonNode>> columns() {
            return COLUMNS;
        }

        @Override
        List<String> defaults() {
            return List.of("name");
        }

        @Override
        String path() {
            return "/api/vhosts";
        }

        @Override
        void announce(Output out) {
            out.info("Listing vhosts ...");
        }
    }
}
