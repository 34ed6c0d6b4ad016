package io.warren.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * set_policy, clear_policy and list_policies with rabbitmqctl 3.10's messages and exit codes
 * (observed on 3.10.8): a refused policy is 69 with "Validation failed" and RabbitMQ's reason, a
 * missing vhost 65, clearing a missing policy 69 "Parameter does not exist".
 */
final class PolicyCommands {
    private PolicyCommands() {
    }

    static String policyPath(String vhost, String name) {
        return "/api/policies/" + ApiClient.enc(vhost) + "/" + ApiClient.enc(name);
    }

    static CliException noVhost(String vhost) {
        return new CliException(CliException.DATAERR, "Virtual host '" + vhost + "' does not exist");
    }

    /** The management API HTML-escapes its reasons; rabbitmqctl prints them plain. */
    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    @Command(name = "set_policy", description = "Sets or updates a policy.")
    static final class SetPolicy extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Option(names = "--priority", description = "Policy priority (default 0); the highest matching one applies.")
        int priority;

        @Option(names = "--apply-to", description = "queues, exchanges or all (default all).")
        String applyTo = "all";

        @Parameters(index = "0", paramLabel = "name")
        String name;

        @Parameters(index = "1", paramLabel = "pattern")
        String pattern;

        @Parameters(index = "2", paramLabel = "definition", description = "The definition as a JSON object.")
        String definition;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Setting policy \"" + name + "\" for pattern \"" + pattern + "\" to \"" + definition
                    + "\" with priority \"" + priority + "\" for vhost \"" + vhost + "\" ...");
            JsonNode def;
            try {
                def = ApiClient.JSON.readTree(definition);
            } catch (JsonProcessingException e) {
                def = null;
            }
            if (def == null || !def.isObject()) {
                throw new CliException(CliException.UNAVAILABLE, "Error:\nJSON decoding error. Reason: badarg");
            }
            ObjectNode body = ApiClient.JSON.createObjectNode().put("pattern", pattern).put("priority", priority)
                    .put("apply-to", applyTo);
            body.set("definition", def);
            ApiClient.Reply r = api.send("PUT", policyPath(vhost, name), body.toString());
            if (r.status() == 404) {
                throw noVhost(vhost);
            }
            if (!r.ok()) {
                throw new CliException(CliException.UNAVAILABLE, "Error:\n" + unescape(r.reason()));
            }
            return 0;
        }
    }

    @Command(name = "clear_policy", description = "Clears a policy.")
    static final class ClearPolicy extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Parameters(paramLabel = "name")
        String name;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Clearing policy \"" + name + "\" on vhost \"" + vhost + "\" ...");
            if (api.send("GET", "/api/vhosts/" + ApiClient.enc(vhost), null).status() == 404) {
                throw noVhost(vhost);
            }
            ApiClient.Reply r = api.send("DELETE", policyPath(vhost, name), null);
            if (r.status() == 404) {
                throw new CliException(CliException.UNAVAILABLE, "Error:\nParameter does not exist");
            }
            UserCommands.check(r);
            return 0;
        }
    }

    @Command(name = "list_policies", description = "Lists the policies of a vhost.")
    static final class ListPolicies extends BaseCommand {
        private static final List<String> COLUMNS = List.of("vhost", "name", "pattern", "apply-to", "definition",
                "priority");

        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Override
        int run(ApiClient api, Output out) {
            out.info("Listing policies for vhost \"" + vhost + "\" ...");
            ApiClient.Reply r = api.send("GET", "/api/policies/" + ApiClient.enc(vhost), null);
            if (r.status() == 404) {
                throw noVhost(vhost);
            }
            UserCommands.check(r);
            List<List<JsonNode>> rows = new ArrayList<>();
            for (JsonNode p : r.json()) {
                List<JsonNode> row = new ArrayList<>();
                for (String c : COLUMNS) {
                    // rabbitmqctl shows the definition as compact JSON text, in the JSON formatter too
                    row.add(c.equals("definition") ? new TextNode(p.get(c).toString()) : p.get(c));
                }
                rows.add(row);
            }
            out.table(COLUMNS, rows);
            return 0;
        }
    }
}
