package io.warren.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after the command name (as rabbitmqctl allows).
 * Inherited by all subcommands; picocli writes them to this one object wherever they appear.
 */
public final class GlobalOptions {
    @Option(names = {"-n", "--node"}, scope = ScopeType.INHERIT,
            description = "Broker to talk to: host[:http-port] (a rabbit@host style name works too).")
    String node;

    @Option(names = "--host", scope = ScopeType.INHERIT, description = "HTTP API host (env WARRENCTL_HOST).")
    String host;

    @Option(names = "--port", scope = ScopeType.INHERIT, description = "HTTP API port (env WARRENCTL_PORT, default 15672).")
    Integer port;

    @Option(names = "--username", scope = ScopeType.INHERIT, description = "User (env WARRENCTL_USER, default guest).")
    String username;

    @Option(names = "--password", scope = ScopeType.INHERIT,
            description = "Password (env WARRENCTL_PASSWORD, default guest).")
    String password;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "The broker's config file, to find its HTTP port and default user "
                    + "(env WARREN_CONFIG, default ./warren.conf if present).")
    String brokerConfig;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Suppress informational messages.")
    boolean quiet;

    @Option(names = {"-t", "--timeout"}, scope = ScopeType.INHERIT, paramLabel = "SECONDS",
            description = "Operation timeout in seconds (default 60).")
    Double timeout;

    @Option(names = "--formatter", scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Output format: table (tab-separated, default) or json.")
    String formatter;

    @Option(names = "--no-table-headers", scope = ScopeType.INHERIT, description = "Do not print the header line.")
    boolean noTableHeaders;

    boolean json() {
        return "json".equals(formatter);
    }

    double timeoutSeconds() {
        return timeout == null ? 60.0 : timeout;
    }
}
