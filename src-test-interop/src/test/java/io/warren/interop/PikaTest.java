package io.warren.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every Pika script in {@code src/test/python} as {@code python3 script.py <port>}. A script asserts the
 * behaviour itself and exits non-zero on failure; helper modules start with {@code interop_}.
 */
class PikaTest {

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.shared();

    static final long TIMEOUT_S = 60;

    static Path scriptDir() {
        return Paths.get(System.getProperty("user.dir"), "src", "test", "python");
    }

    static String python() {
        return System.getProperty("warren.python", "/usr/bin/python3");
    }

    static List<String> scripts() throws IOException {
        try (Stream<Path> s = Files.list(scriptDir())) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".py") && !n.startsWith("interop_"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void pikaIsInstalled() throws Exception {
        Result r = run(List.of(python(), "-c", "import pika; print(pika.__version__)"));
        assertEquals(0, r.exit, () -> "Pika is missing for " + python()
                + " (apt-get install -y python3-pika):\n" + r.output);
    }

    @Test
    void thereAreScripts() throws Exception {
        assertFalse(scripts().isEmpty(), "no scripts in " + scriptDir());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    @Timeout(TIMEOUT_S + 30) // the script's own limit fires first
    void script(String name) throws Exception {
        Path script = scriptDir().resolve(name);
        Result r = run(List.of(python(), script.toString(), Integer.toString(broker.port())));
        if (r.exit != 0) {
            fail(name + " exited with " + r.exit + "\n----- output -----\n" + r.output);
        }
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("pika-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(scriptDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            pb.environment().put("PYTHONUNBUFFERED", "1");
            Process p = pb.start();
            boolean finished;
            try {
                finished = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw e;
            }
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "TIMED OUT after " + TIMEOUT_S + " s\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
