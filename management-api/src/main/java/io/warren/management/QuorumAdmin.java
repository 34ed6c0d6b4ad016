package io.warren.management;

import io.warren.management.model.QuorumMemberInfo;
import io.warren.management.model.ReplicaChange;

import java.util.List;

/**
 * Quorum queue membership, as {@code rabbitmq-queues} changes it: add_member, delete_member, grow,
 * shrink and quorum_status. Methods block until the change is committed. A refusal is an
 * {@link io.warren.management.model.AdminException}: 404 for a missing queue, 400 with RabbitMQ's
 * reason ({@code classic_queue_not_supported}, {@code node_not_running}, {@code last_node}), 541
 * when the queue's group did not commit the change. Adding a member that is one already, or deleting
 * one that is not, succeeds without a change (as rabbitmq-queues 3.10.8 answers).
 */
public interface QuorumAdmin {
    void addMember(String vhost, String queue, String node);

    void deleteMember(String vhost, String queue, String node);

    /** Adds a member on {@code node} to every matching quorum queue without one there ({@code all} or {@code even}). */
    List<ReplicaChange> grow(String node, String strategy, String vhostPattern, String queuePattern);

    /** Removes the member on {@code node} from every quorum queue that has one (never the last member). */
    List<ReplicaChange> shrink(String node);

    /** Each member's own report of the queue's Raft group. */
    List<QuorumMemberInfo> status(String vhost, String queue);
}
