package io.warren.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** export_definitions and import_definitions in RabbitMQ's JSON format ("-" is stdout / stdin). */
final class DefinitionCommands {
    private DefinitionCommands() {
    }

    @Command(name = "export_definitions",
            description = "Exports definitions (queues, exchanges, bindings, users ...) in JSON to a file or stdout (-).")
    static final class Export extends BaseCommand {
        @Parameters(paramLabel = "file_path | -", description = "Where to write; - for standard output.")
        String target;

        @Override
        int run(ApiClient api, Output out) {
            String json;
            if (target.equals("-")) {
                json = api.get("/api/definitions").toString();
                System.out.print(json);
                System.out.flush();
                return 0;
            }
            out.info("Exporting definitions in JSON to a file at \"" + target + "\" ...");
            json = api.get("/api/definitions").toString();
            try {
                Files.writeString(Path.of(target), json, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException(CliException.DATAERR, "Error:\nNo permissions to write to file " + target
                        + " or its parent directory");
            }
            return 0;
        }
    }

    @Command(name = "import_definitions", description = "Imports definitions in JSON from a file or stdin (-).")
    static final class Import extends BaseCommand {
        @Parameters(paramLabel = "file_path | -", description = "What to read; - for standard input.")
        String source;

        @Override
        int run(ApiClient api, Output out) {
            String json;
            try {
                if (source.equals("-")) {
                    out.info("Importing definitions in JSON from standard input ...");
                    json = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                } else {
                    Path p = Path.of(source);
                    if (!Files.isRegularFile(p)) {
                        // rabbitmqctl: argument validation text, but exit code 65 (data error)
                        throw usage(CliException.DATAERR, "Bad argument: File " + source + " does not exist");
                    }
                    out.info("Importing definitions in JSON from a file at \"" + source + "\" ...");
                    json = Files.readString(p, StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new CliException(CliException.DATAERR, "Error:\ncannot read " + source + ": " + e.getMessage());
            }
            try {
                ApiClient.JSON.readTree(json);
            } catch (IOException e) {
                throw new CliException(CliException.DATAERR, "Error:\nfailed to parse definitions: " + e.getMessage());
            }
            ApiClient.Reply r = api.send("POST", "/api/definitions", json);
            if (!r.ok()) {
                throw new CliException(CliException.DATAERR, "Error:\n" + r.reason());
            }
            out.info("Successfully imported definitions.");
            return 0;
        }
    }
}
