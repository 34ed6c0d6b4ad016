package io.warren.cluster;

/** One member of the cluster: its node name and the address it takes Raft traffic on. */
public record ClusterPeer(String name, String host, int port) {
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return name + "=" + address();
    }
}
