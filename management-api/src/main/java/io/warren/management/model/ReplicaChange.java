package io.warren.management.model;

/**
 * What grow or shrink did to one quorum queue (rabbitmq-queues' columns): its member count after
 * the change (before it, when the change failed) and {@code ok} or {@code error: reason}.
 */
public record ReplicaChange(String vhost, String name, int size, String result) {
}
