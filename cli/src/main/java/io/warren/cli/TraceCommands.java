package io.warren.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * trace_on and trace_off: the firehose tracer of a vhost, over RabbitMQ's HTTP way to switch it
 * ({@code PUT /api/vhosts/{vhost}} with {@code {"tracing": ...}}). Output as rabbitmqctl 3.10's.
 * rabbitmqctl accepts a vhost that does not exist (and remembers it); warrenctl refuses it with 69,
 * since the HTTP call would create the vhost.
 */
final class TraceCommands {
    private TraceCommands() {
    }

    static int switchTracing(ApiClient api, Output out, String vhost, boolean on) {
        out.info((on ? "Starting" : "Stopping") + " tracing for vhost \"" + vhost + "\" ...");
        String path = "/api/vhosts/" + ApiClient.enc(vhost);
        ApiClient.Reply r = api.send("GET", path, null);
        if (r.status() == 404) {
            throw new CliException(CliException.UNAVAILABLE, "Error:\nVirtual host \"" + vhost + "\" does not exist");
        }
        UserCommands.check(r);
        UserCommands.check(api.send("PUT", path, "{\"tracing\":" + on + "}"));
        System.out.println("Trace " + (on ? "enabled" : "disabled") + " for vhost " + vhost);
        return 0;
    }

    @Command(name = "trace_on", description = "Copies every publish and delivery in a vhost to amq.rabbitmq.trace "
            + "(routing keys publish.<exchange> and deliver.<queue>).")
    static final class TraceOn extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Override
        int run(ApiClient api, Output out) {
            return switchTracing(api, out, vhost, true);
        }
    }

    @Command(name = "trace_off", description = "Stops the firehose tracer of a vhost.")
    static final class TraceOff extends BaseCommand {
        @Option(names = {"-p", "--vhost"}, description = "Virtual host (default /).")
        String vhost = "/";

        @Override
        int run(ApiClient api, Output out) {
            return switchTracing(api, out, vhost, false);
        }
    }
}
