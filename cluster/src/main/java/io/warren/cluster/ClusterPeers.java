package io.warren.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code --cluster-peers NAME=HOST:PORT,...} list: every member, this node included. Parsing
 * refuses anything ambiguous (duplicate names or addresses, a port out of range) with a message
 * that names the bad entry, because a typo here would otherwise show up as a cluster that never
 * elects a leader.
 */
public record ClusterPeers(List<ClusterPeer> members) {
    public ClusterPeers {
        members = List.copyOf(members);
    }

    public static ClusterPeers parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--cluster-peers is empty; expected NAME=HOST:PORT,...");
        }
        List<ClusterPeer> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (String raw : spec.split(",")) {
            String entry = raw.trim();
            int eq = entry.indexOf('=');
            int colon = entry.lastIndexOf(':');
            if (eq <= 0 || colon < eq + 2 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("--cluster-peers entry '" + entry + "' is not NAME=HOST:PORT");
            }
            String name = entry.substring(0, eq);
            String host = entry.substring(eq + 1, colon);
            int port;
            try {
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cluster-peers entry '" + entry + "' has a bad port");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--cluster-peers entry '" + entry + "' has a port out of range");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("--cluster-peers names node '" + name + "' twice");
            }
            if (!addresses.add(host + ":" + port)) {
                throw new IllegalArgumentException("--cluster-peers gives address " + host + ":" + port + " twice");
            }
            out.add(new ClusterPeer(name, host, port));
        }
        return new ClusterPeers(out);
    }

    public Optional<ClusterPeer> find(String name) {
        return members.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The entry of this node; an error naming the node if the list leaves it out. */
    public ClusterPeer self(String nodeName) {
        return find(nodeName).orElseThrow(() -> new IllegalArgumentException("--cluster-peers does not list this node '"
                + nodeName + "' (every member, itself included, must be listed)"));
    }
}
