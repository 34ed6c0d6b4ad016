package io.warren.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the broker's HTTP API is and who we are. Each setting comes from a flag, else the
 * environment ({@code WARRENCTL_HOST}, {@code _PORT}, {@code _USER}, {@code _PASSWORD}), else a
 * properties file ({@code WARRENCTL_CONFIG}, default {@code ~/.warrenctl.conf}, keys host, port,
 * username, password), else the broker's own settings found as the broker finds them (environment
 * {@code WARREN_HTTP_PORT}, {@code WARREN_BIND}, {@code WARREN_DEFAULT_USER}, {@code WARREN_DEFAULT_PASS}, else
 * its config file: {@code --config FILE}, {@code WARREN_CONFIG} or {@code ./warren.conf}), else the defaults
 * localhost:15672 guest/guest. So on the broker's machine, with the broker's environment, warrenctl needs no flags.
 */
record Target(String host, int port, String user, String password) {

    static Target resolve(GlobalOptions o, Map<String, String> env) {
        Properties file = loadFile(env);
        Properties broker = BrokerSettings.load(o.brokerConfig, env);
        String host = first(o.host, nodeHost(o.node), env.get("WARRENCTL_HOST"), file.getProperty("host"),
                BrokerSettings.reachableHost(broker.getProperty("bind")), "localhost");
        String port = first(o.port == null ? null : String.valueOf(o.port), nodePort(o.node), env.get("WARRENCTL_PORT"),
                file.getProperty("port"), broker.getProperty("http-port"), "15672");
        String user = first(o.username, env.get("WARRENCTL_USER"), file.getProperty("username"),
                broker.getProperty("default-user"), "guest");
        String pass = first(o.password, env.get("WARRENCTL_PASSWORD"), file.getProperty("password"),
                broker.getProperty("default-pass"), "guest");
        int p;
        try {
            p = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new CliException(CliException.USAGE, "Error: invalid port '" + port + "'");
        }
        return new Target(host, p, user, pass);
    }

    /** The node as messages name it, e.g. {@code localhost:15672}. */
    String node() {
        return host + ":" + port;
    }

    private static String nodeHost(String node) {
        if (node == null) {
            return null;
        }
        String n = node.contains("@") ? node.substring(node.indexOf('@') + 1) : node;
        int colon = n.lastIndexOf(':');
        return colon < 0 ? n : n.substring(0, colon);
    }

    private static String nodePort(String node) {
        if (node == null) {
            return null;
        }
        int colon = node.lastIndexOf(':');
        return colon < 0 ? null : node.substring(colon + 1);
    }

    private static Properties loadFile(Map<String, String> env) {
        Properties p = new Properties();
        String configured = env.get("WARRENCTL_CONFIG");
        Path path = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".warrenctl.conf");
        if (Files.isReadable(path)) {
            try (Reader r = Files.newBufferedReader(path)) {
                p.load(r);
            } catch (IOException e) {
                throw new CliException(CliException.DATAERR, "Error: cannot read " + path + ": " + e.getMessage());
            }
        } else if (configured != null) {
            throw new CliException(CliException.DATAERR, "Error: config file " + path + " does not exist");
        }
        return p;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
