package io.warren.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Flags win over the environment, which wins over the config file, which wins over the defaults. */
class TargetTest {

    @Test
    void defaults() {
        Target t = Target.resolve(new GlobalOptions(), Map.of("WARRENCTL_CONFIG", "/dev/null"));
        assertEquals(new Target("localhost", 15672, "guest", "guest"), t);
    }

    @Test
    void precedence(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("warrenctl.conf");
        Files.writeString(file, "host=filehost\nport=1111\nusername=fileuser\npassword=filepass\n");
        Map<String, String> env = Map.of("WARRENCTL_CONFIG", file.toString(), "WARRENCTL_PORT", "2222",
                "WARRENCTL_USER", "envuser");
        GlobalOptions o = new GlobalOptions();
        o.password = "flagpass";
        assertEquals(new Target("filehost", 2222, "envuser", "flagpass"), Target.resolve(o, env));
        o.node = "rabbit@nodehost:3333";
        assertEquals(new Target("nodehost", 3333, "envuser", "flagpass"), Target.resolve(o, env));
    }

    @Test
    void fallsBackToTheBrokersOwnSettings(@TempDir Path dir) throws Exception {
        Path brokerConf = dir.resolve("warren.conf");
        Files.writeString(brokerConf, "http-port = 1234\nbind=10.0.0.5\ndefault-user=admin\namqp-port=5673\n");
        Map<String, String> env = Map.of("WARRENCTL_CONFIG", "/dev/null", "WARREN_CONFIG", brokerConf.toString());
        assertEquals(new Target("10.0.0.5", 1234, "admin", "guest"), Target.resolve(new GlobalOptions(), env));
        // the broker's environment wins over its file, as in the broker; warrenctl's own settings win over both
        Map<String, String> withEnv = Map.of("WARRENCTL_CONFIG", "/dev/null", "WARREN_CONFIG", brokerConf.toString(),
                "WARREN_HTTP_PORT", "2345", "WARREN_BIND", "0.0.0.0", "WARREN_DEFAULT_PASS", "s3cret");
        assertEquals(new Target("localhost", 2345, "admin", "s3cret"), Target.resolve(new GlobalOptions(), withEnv));
        GlobalOptions o = new GlobalOptions();
        o.port = 3456;
        o.brokerConfig = brokerConf.toString();
        assertEquals(new Target("10.0.0.5", 3456, "admin", "guest"),
                Target.resolve(o, Map.of("WARRENCTL_CONFIG", "/dev/null")));
    }

    @Test
    void missingConfigFileIsADataError() {
        CliException e = assertThrows(CliException.class,
                () -> Target.resolve(new GlobalOptions(), Map.of("WARRENCTL_CONFIG", "/no/such/file")));
        assertEquals(CliException.DATAERR, e.exitCode());
    }
}
