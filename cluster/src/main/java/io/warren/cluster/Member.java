package io.warren.cluster;

/** A member as {@code cluster_status} shows it: whether it answers now, and whether it leads. */
public record Member(String name, String address, boolean running, boolean leader) {
}
