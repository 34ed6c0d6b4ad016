package io.warren.broker.channel;

import io.warren.broker.model.Message;
import io.warren.broker.model.VirtualHost;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
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
 * that node through the {@link Forwarder} the cluster's links install; one no node can take is dropped, as RabbitMQ
 * drops a reply whose channel or node is gone.
 */
public final class ReplyAddresses {
    /** Sends a reply to the node that gave out its address; false if that node cannot be reached. */
    public interface Forwarder {
        boolean forward(String node, Message reply);
    }

    private final Map<String, AmqpChannel> channels = new ConcurrentHashMap<>();
    private final String prefix;
    private volatile Forwarder forwarder;

    /** @param node this node's name, written into every address it gives out */
    public ReplyAddresses(String node) {
        this.prefix = DirectReplyTo.PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(node.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** From now on replies for other nodes' addresses go through {@code f} (a cluster member's links). */
    public void forwardTo(Forwarder f) {
        this.forwarder = f;
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

    /** The channel consuming at this address, or null if no live reply consumer here has it. */
    AmqpChannel channel(String address) {
        return channels.get(address);
    }

    /**
     * Routes a reply published on this node (its routing key is the address): to the local channel
     * that has the address, else to the node the address names. False if neither takes it.
     */
    boolean route(Message reply) {
        if (deliverLocally(reply)) {
            return true;
        }
        Forwarder f = forwarder;
        String node = f == null ? null : node(reply.routingKey());
        return node != null && f.forward(node, reply);
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
