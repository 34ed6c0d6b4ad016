package io.warren.management.model;

/** A virtual host. */
public record VhostInfo(String name, String description) {
}
