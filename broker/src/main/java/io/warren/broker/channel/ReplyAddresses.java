package io.warren.broker.channel;

import io.warren.broker.model.Message;
import io.warren.broker.model.VirtualHost;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The direct reply-to addresses this broker has handed out, each to the channel whose reply consumer it belongs to.
 * One per broker, so two brokers in one JVM never see each other's. An address lives exactly as long as its reply
 * consumer.
 *
 * <p>An address names the node that gave it out: {@code amq.rabbitmq.reply-to.<node>.<random>}, the node's name in
 * URL-safe Base64 (no dots, so the first dot ends it). In a cluster the replier may be connected to another node than
 * the requester, and that node must know where to send the reply without asking anyone: RabbitMQ likewise encodes the
 * requester's channel pid, which carries its node, in the address. A reply for an address of another node goes to
 * that node through the {@link RemoteReplies} the cluster's links install; one no node can take is dropped, as RabbitMQ
 * drops a reply whose channel or node is gone.
 */
public final class ReplyAddresses {
    /** The other nodes of a cluster, reached over their links. */
    public interface RemoteReplies {
        /** Sends a reply to the node that gave out its address; false if that node cannot be reached. */
        boolean forward(String node, Message reply);

        /** Whether a live reply consumer on {@code node} has this address; false if it cannot be asked. */
        CompletableFuture<Boolean> exists(String node, String address);
    }

    private final Map<String, AmqpChannel> channels = new ConcurrentHashMap<>();
    private final String prefix;
    private final String node;
    private volatile RemoteReplies remote;

    /** @param node this node's name, written into every address it gives out */
    public ReplyAddresses(String node) {
        this.node = node;
        this.prefix = DirectReplyTo.PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(node.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** From now on replies for other nodes' addresses go through {@code r} (a cluster member's links). */
    public void remote(RemoteReplies r) {
        this.remote = r;
    }

    /** A fresh address of this node. */
    String newAddress() {
        return VirtualHost.generateName(prefix);
    }

    void register(String address, AmqpChannel channel) {
        channels.put(address, channel);
    }

    void unregister(String address, AmqpChannel channel) {
        channels.remove(address, channel);
    }

    /** Whether a live reply consumer of this node has this address. */
    public boolean isLocal(String address) {
        return channels.containsKey(address);
    }

    /**
     * Routes a reply published on this node (its routing key is the address): to the local channel
     * that has the address, else to the node the address names. False if neither takes it.
     */
    boolean route(Message reply) {
        if (deliverLocally(reply)) {
            return true;
        }
        RemoteReplies r = remote;
        String owner = r == null ? null : node(reply.routingKey());
        return owner != null && !owner.equals(node) && r.forward(owner, reply);
    }

    /**
     * Whether a live reply consumer has this address, here or on the node it names (a queue.declare
     * of the address answers declare-ok then, as RabbitMQ asks the requester's channel).
     */
    CompletableFuture<Boolean> exists(String address) {
        if (isLocal(address)) {
            return CompletableFuture.completedFuture(true);
        }
        RemoteReplies r = remote;
        String owner = r == null ? null : node(address);
        return owner == null || owner.equals(node) ? CompletableFuture.completedFuture(false) : r.exists(owner, address);
    }

    /**
     * A reply for an address of this node, published here or forwarded by another node: delivered
     * to the channel that has it (from any thread), or dropped if that channel is gone.
     */
    public boolean deliverLocally(Message reply) {
        AmqpChannel target = channels.get(reply.routingKey());
        if (target == null) {
            return false;
        }
        target.deliverReply(reply);
        return true;
    }

    /** The node an address names, or null if it has no well-formed node part. */
    static String node(String address) {
        if (!address.startsWith(DirectReplyTo.PREFIX)) {
            return null;
        }
        int start = DirectReplyTo.PREFIX.length();
        int end = address.indexOf('.', start);
        if (end <= start) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(address.substring(start, end)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
