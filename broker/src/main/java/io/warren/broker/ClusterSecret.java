package io.warren.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The secret that cluster members' node-to-node links prove to each other (as Erlang's cookie):
 * {@code --cluster-secret}, else the first line of {@code DATA_DIR/cluster-secret}. Every member
 * must have the same one; a node without one does not start, because links that anyone could open
 * would let anyone read and inject messages.
 */
final class ClusterSecret {
    static final String FILE = "cluster-secret";

    private ClusterSecret() {
    }

    static String load(String configured, Path dataDir) {
        if (configured != null) {
            return configured;
        }
        Path file = dataDir.resolve(FILE);
        try {
            String s = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
            if (!s.isEmpty()) {
                return s;
            }
        } catch (IOException e) {
            throw new StartupException("cannot read the cluster secret from " + file + ": " + e.getMessage(), e);
        }
        throw new StartupException("a cluster member needs the secret shared by every member: --cluster-secret "
                + "(env WARREN_CLUSTER_SECRET) or the file " + file, null);
    }
}
