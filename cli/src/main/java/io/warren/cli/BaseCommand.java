package io.warren.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A warrenctl command: resolves the target broker, then runs against its HTTP API. */
abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    WarrenCtl root;

    @Spec
    CommandSpec spec;

    abstract int run(ApiClient api, Output out);

    @Override
    public Integer call() {
        Target target = Target.resolve(root.global, System.getenv());
        return run(new ApiClient(target, root.global.timeoutSeconds()), new Output(System.out, root.global));
    }

    /** rabbitmqctl's argument validation error: exit 64 with the command's usage. */
    CliException usage(String message) {
        return usage(CliException.USAGE, message);
    }

    CliException usage(int exitCode, String message) {
        return new CliException(exitCode, "Error (argument validation): " + message + "\n\nUsage\n\n"
                + spec.commandLine().getUsageMessage());
    }
}
