package io.warren.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/**
 * {@code warrenctl}: rabbitmqctl's commands, columns and output for Warren, over the broker's
 * management HTTP API. Exit codes follow rabbitmqctl (sysexits): 0 ok, 64 usage, 65 bad data,
 * 67 no such user, 69 unreachable or not found, 70 internal error, 75 timeout, 77 access refused.
 */
@Command(name = "warrenctl", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = WarrenCtl.Version.class,
        description = "Manages a Warren broker, rabbitmqctl style, through its HTTP API.",
        subcommands = {
            CommandLine.HelpCommand.class,
            NodeCommands.Status.class,
            NodeCommands.HealthCheck.class,
            ClusterCommands.ClusterStatus.class,
            ClusterCommands.ForgetClusterNode.class,
            ListCommands.ListQueues.class,
            ListCommands.ListExchanges.class,
            ListCommands.ListBindings.class,
            ListCommands.ListConnections.class,
            ListCommands.ListChannels.class,
            ListCommands.ListConsumers.class,
            ListCommands.ListUsers.class,
            ListCommands.ListVhosts.class,
            QueueCommands.PurgeQueue.class,
            QueueCommands.DeleteQueue.class,
            QueueCommands.CloseConnection.class,
            QuorumCommands.AddMember.class,
            QuorumCommands.DeleteMember.class,
            QuorumCommands.Grow.class,
            QuorumCommands.Shrink.class,
            QuorumCommands.QuorumStatus.class,
            UserCommands.AddUser.class,
            UserCommands.DeleteUser.class,
            UserCommands.ChangePassword.class,
            UserCommands.SetUserTags.class,
            UserCommands.AddVhost.class,
            UserCommands.DeleteVhost.class,
            UserCommands.SetPermissions.class,
            UserCommands.ClearPermissions.class,
            UserCommands.ListPermissions.class,
            UserCommands.ListUserPermissions.class,
            PolicyCommands.SetPolicy.class,
            PolicyCommands.ClearPolicy.class,
            PolicyCommands.ListPolicies.class,
            TraceCommands.TraceOn.class,
            TraceCommands.TraceOff.class,
            DefinitionCommands.Export.class,
            DefinitionCommands.Import.class,
        })
public final class WarrenCtl implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandSpec spec;

    /** No command: the usage, and 64 as for any usage error. */
    @Override
    public Integer call() {
        System.err.println("Error: no command given");
        spec.commandLine().usage(System.err);
        return CliException.USAGE;
    }

    /** The exit code for these arguments; output goes to stdout/stderr. */
    static int execute(String... args) {
        CommandLine cmd = new CommandLine(new WarrenCtl());
        setUsageExitCode(cmd);
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException ce) {
                System.err.println(ce.getMessage());
                return ce.exitCode();
            }
            System.err.println("Error:\n" + e);
            return CliException.SOFTWARE;
        });
        return cmd.execute(args);
    }

    private static void setUsageExitCode(CommandLine cmd) {
        CommandSpec spec = cmd.getCommandSpec();
        spec.exitCodeOnInvalidInput(CliException.USAGE);
        cmd.getSubcommands().values().forEach(WarrenCtl::setUsageExitCode);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WarrenCtl.class.getPackage().getImplementationVersion();
            return new String[]{"warrenctl " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
