package io.warren.management.model;

/**
 * One member of the cluster as {@code /api/nodes} and {@code warrenctl cluster_status} show it.
 *
 * @param name           node name
 * @param clusterAddress where it takes cluster (Raft) traffic; null for a standalone node
 * @param running        whether it answers now
 * @param leader         whether it currently leads the metadata group
 */
public record ClusterMemberInfo(String name, String clusterAddress, boolean running, boolean leader) {
}
