package io.warren.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Users, vhosts and permissions, with rabbitmqctl 3.10's messages and exit codes (observed):
 * a missing user is 67 (EX_NOUSER), a missing vhost 69, an existing user on add_user 70.
 */
final class UserCommands {
    /** sysexits EX_NOUSER: what rabbitmqctl answers for an unknown user. */
    static final int NOUSER = 67;

    private UserCommands() {
    }

    static String userPath(String user) {
        return "/api/users/" + ApiClient.enc(user);
    }

    /** The user's JSON, or exit 67 as rabbitmqctl does. */
    static JsonNode requireUser(ApiClient api, String user) {
        ApiClient.Reply r = api.send("GET", userPath(user), null);
        if (r.status() == 404) {
            throw new CliException(NOUSER, "Error:\nUser \"" + user + "\" does not exist");
        }
        if (!r.ok()) {
            throw new CliException(CliException.SOFTWARE, "Error:\n" + r.reason());
        }
        return r.json();
    }

    static void check(ApiClient.Reply r) {
        if (!r.ok()) {
            throw new CliException(CliException.SOFTWARE, "Error:\n" + r.reason());
        }
    }

    @Command(name = "add_user", description = "Creates a user (no tags, no permissions).")
    static final class AddUser extends BaseCommand {
        @Parameters(index = "0", paramLabel = "username")
        String user;

        @Parameters(index = "1", paramLabel = "password")
        String password;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Adding user \"" + user + "\" ...");
            if (api.send("GET", userPath(user), null).status() != 404) {
                throw new CliException(CliException.SOFTWARE, "Error:\nUser \"" + user + "\" already exists");
            }
            ObjectNode body = ApiClient.JSON.createObjectNode().put("password", password).put("tags", "");
            check(api.send("PUT", userPath(user), body.toString()));
            out.info("Done. Don't forget to grant the user permissions to some virtual hosts! "
                    + "See 'warrenctl help set_permissions' to learn more.");
            return 0;
        }
    }

    @Command(name = "delete_user", description = "Removes a user and its permissions.")
    static final class DeleteUser extends BaseCommand {
        @Parameters(paramLabel = "username")
        String user;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Deleting user \"" + user + "\" ...");
            ApiClient.Reply r = api.send("DELETE", userPath(user), null);
            if (r.status() == 404) {
                throw new CliException(NOUSER, "Error:\nUser \"" + user + "\" does not exist");
            }
            check(r);
            return 0;
        }
    }

    @Command(name = "change_password", description = "Changes a user's password.")
    static final class ChangePassword extends BaseCommand {
        @Parameters(index = "0", paramLabel = "username")
        String user;

        @Parameters(index = "1", paramLabel = "password")
        String password;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Changing password for user \"" + user + "\" ...");
            JsonNode u = requireUser(api, user);
            ObjectNode body = ApiClient.JSON.createObjectNode().put("password", password);
            body.set("tags", u.path("tags"));
            check(api.send("PUT", userPath(user), body.toString()));
            return 0;
        }
    }

    @Command(name = "set_user_tags", description = "Sets a user's tags (none clears them).")
    static final class SetUserTags extends BaseCommand {
        @Parameters(index = "0", paramLabel = "username")
        String user;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "tag")
        List<String> tags = new ArrayList<>();

        @Override
        int run(ApiClient api, Output out) {
            out.info("Setting tags for user \"" + user + "\" to [" + String.join(", ", tags) + "] ...");
            JsonNode u = requireUser(api, user);
            ObjectNode body = ApiClient.JSON.createObjectNode().put("password_hash", u.path("password_hash").asText());
            ArrayNode t = body.putArray("tags");
            tags.forEach(t::add);
            check(api.send("PUT", userPath(user), body.toString()));
            return 0;
        }
    }

    @Command(name = "add_vhost", description = "Creates a virtual host.")
    static final class AddVhost extends BaseCommand {
        @Parameters(paramLabel = "vhost")
        String vhost;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Adding vhost \"" + vhost + "\" ...");
            check(api.send("PUT", "/api/vhosts/" + ApiClient.enc(vhost), "{}"));
            return 0;
        }
    }

    @Command(name = "delete_vhost", description = "Deletes a virtual host with everything in it.")
    static final class DeleteVhost extends BaseCommand {
        @Parameters(paramLabel = "vhost")
        String vhost;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Deleting vhost \"" + vhost + "\" ...");
            ApiClient.Reply r = api.send("DELETE", "/api/vhosts/" + ApiClient.enc(vhost), null);
            if (r.status() == 404) {
                throw new CliException(CliException.DATAERR, "Virtual host '" + vhost + "' does not exist");
            }
            check(r);
            return 0;
        }
    }

    @Command(name = "set_permissions", description = "Sets a user's configure, write and read patterns in a vhost.")
    static final class SetPermissions extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Parameters(index = "0", paramLabel = "username")
        String user;

        @Parameters(index = "1", paramLabel = "conf")
        String configure;

        @Parameters(index = "2", paramLabel = "write")
        String write;

        @Parameters(index = "3", paramLabel = "read")
        String read;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Setting permissions for user \"" + user + "\" in vhost \"" + vhost + "\" ...");
            if (api.send("GET", userPath(user), null).status() == 404) {
                throw new CliException(NOUSER, "Error:\nUser " + user + " does not exist");
            }
            if (api.send("GET", "/api/vhosts/" + ApiClient.enc(vhost), null).status() == 404) {
                throw new CliException(CliException.UNAVAILABLE, "Error:\nVirtual host " + vhost + " does not exist");
            }
            ObjectNode body = ApiClient.JSON.createObjectNode().put("configure", configure).put("write", write)
                    .put("read", read);
            check(api.send("PUT", "/api/permissions/" + ApiClient.enc(vhost) + "/" + ApiClient.enc(user),
                    body.toString()));
            return 0;
        }
    }

    @Command(name = "clear_permissions", description = "Revokes a user's permissions in a vhost.")
    static final class ClearPermissions extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Parameters(paramLabel = "username")
        String user;

        @Override
        int run(ApiClient api, Output out) {
            out.info("Clearing permissions for user \"" + user + "\" in vhost \"" + vhost + "\" ...");
            ApiClient.Reply r = api.send("DELETE", "/api/permissions/" + ApiClient.enc(vhost) + "/"
                    + ApiClient.enc(user), null);
            if (r.status() != 404) {
                check(r); // none to clear is fine, as in rabbitmqctl
            }
            return 0;
        }
    }

    private static final Map<String, Function<JsonNode, JsonNode>> VHOST_PERMISSIONS =
            ListCommands.fields("user", "configure", "write", "read");
    private static final Map<String, Function<JsonNode, JsonNode>> USER_PERMISSIONS =
            ListCommands.fields("vhost", "configure", "write", "read");

    @Command(name = "list_permissions", description = "Lists the users' permissions in a vhost.")
    static final class ListPermissions extends ListCommands.VhostListCommand {
        @Override
        Map<String, Function<JsonNode, JsonNode>> columns() {
            return VHOST_PERMISSIONS;
        }

        @Override
        List<String> defaults() {
            return List.of("user", "configure", "write", "read");
        }

        @Override
        String path() {
            return "/api/vhosts/" + ApiClient.enc(vhost) + "/permissions";
        }

        @Override
        void announce(Output out) {
            out.info("Listing permissions for vhost \"" + vhost + "\" ...");
        }
    }

    @Command(name = "list_user_permissions", description = "Lists a user's permissions in every vhost.")
    static final class ListUserPermissions extends BaseCommand {
        @Parameters(index = "0", paramLabel = "username")
        String user;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "column")
        List<String> requested = new ArrayList<>();

        @Override
        int run(ApiClient api, Output out) {
            List<String> cols = requested.isEmpty() ? List.of("vhost", "configure", "write", "read") : requested;
            return ListCommands.list(api, out, USER_PERMISSIONS, cols, () -> userPath(user) + "/permissions", () -> {
                out.info("Listing permissions for user \"" + user + "\" ...");
                if (api.send("GET", userPath(user), null).status() == 404) {
                    throw new CliException(CliException.UNAVAILABLE, "Error:\n{:no_such_user, \"" + user + "\"}");
                }
            }, this::usage);
        }
    }
}
