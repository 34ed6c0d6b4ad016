package io.warren.management.model;

/** A user's configure / write / read patterns in one vhost. */
public record PermissionInfo(String user, String vhost, String configure, String write, String read) {
}
