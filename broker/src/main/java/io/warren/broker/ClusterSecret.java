package io.warren.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that cluster members' node-to-node links prove to each other, found as RabbitMQ finds
 * Erlang's cookie: {@code --cluster-secret}, else the first line of {@code DATA_DIR/cluster-secret},
 * else the user's {@code ~/.warren-cluster-secret}, which the first node to need it creates with a
 * random value readable by its owner only. So nodes of one user on one machine (README's example)
 * share a secret without a flag, and a node on another machine joins once that file is copied
 * there. Links that anyone could open would let anyone read and inject messages.
 */
final class ClusterSecret {
    static final String FILE = "cluster-secret";
    static final String USER_FILE = ".warren-cluster-secret";

    private ClusterSecret() {
    }

    static String load(String configured, Path dataDir, Path userHome) {
        if (configured != null) {
            return configured;
        }
        String s = read(dataDir.resolve(FILE));
        if (!s.isEmpty()) {
            return s;
        }
        Path user = userHome.resolve(USER_FILE);
        s = read(user);
        if (s.isEmpty()) {
            s = create(user);
        }
        if (s.isEmpty()) {
            throw new StartupException("the cluster secret file " + user + " is empty: give every member the same "
                    + "--cluster-secret (env WARREN_CLUSTER_SECRET), or the same file", null);
        }
        return s;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
        } catch (IOException e) {
            throw new StartupException("cannot read the cluster secret from " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a fresh secret next to {@code file} and links it into place: the link fails if another node
     * starting at the same moment was first, and then its secret (complete, never half written) wins.
     */
    private static String create(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(file.getParent(), USER_FILE, ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------")));
            Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
            Files.createLink(file, tmp);
            return secret;
        } catch (FileAlreadyExistsException raced) {
            return read(file);
        } catch (IOException | UnsupportedOperationException e) {
            throw new StartupException("a cluster member needs the secret shared by every member: --cluster-secret "
                    + "(env WARREN_CLUSTER_SECRET) or the file " + file + ", which could not be created: "
                    + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file holds a secret nobody uses
                }
            }
        }
    }
}
