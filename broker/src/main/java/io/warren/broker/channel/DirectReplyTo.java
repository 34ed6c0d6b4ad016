package io.warren.broker.channel;

import io.warren.broker.BrokerState;
import io.warren.broker.error.ChannelException;
import io.warren.broker.model.Message;
import io.warren.broker.model.VirtualHost;
import io.warren.codec.BasicProperties;
import io.warren.codec.method.BasicConsume;
import io.warren.codec.method.BasicConsumeOk;
import io.warren.codec.method.BasicDeliver;

/**
 * RabbitMQ's direct reply-to for one channel: a no-ack consumer on the pseudo-queue
 * {@code amq.rabbitmq.reply-to}; requests published with {@code reply_to=amq.rabbitmq.reply-to}
 * get a channel-specific address instead, and replies published to that address on the default
 * exchange go straight to this channel — no queue involved.
 */
final class DirectReplyTo {
    static final String PSEUDO_QUEUE = "amq.rabbitmq.reply-to";
    static final String PREFIX = PSEUDO_QUEUE + ".";
    private static final int REPLY_TO_FLAG = 1 << 9;

    private final AmqpChannel channel;
    private String consumerTag;
    private String address;

    DirectReplyTo(AmqpChannel channel) {
        this.channel = channel;
    }

    static boolean isPseudoQueue(String queue) {
        return PSEUDO_QUEUE.equals(queue);
    }

    /**
     * queue.declare of a name starting with {@code amq.rabbitmq.reply-to} (passive or not) never creates a queue:
     * as RabbitMQ's declare_fast_reply_to, the pseudo-queue itself and the address of a live reply consumer
     * "exist" (with one consumer); any other such name, a forged address included, is 404.
     */
    static boolean isReplyToName(String queue) {
        return queue.startsWith(PSEUDO_QUEUE);
    }

    /** Whether the name exists; for an address another node gave out, that node is asked over the link. */
    static java.util.concurrent.CompletableFuture<Boolean> replyToNameExists(BrokerState broker, String queue) {
        return isPseudoQueue(queue) ? java.util.concurrent.CompletableFuture.completedFuture(true)
                : broker.replyAddresses().exists(queue);
    }

    static boolean isReplyAddress(String exchange, String routingKey) {
        return exchange.isEmpty() && routingKey.startsWith(PREFIX);
    }

    String consumerTag() {
        return consumerTag;
    }

    void consume(BasicConsume m) {
        if (!m.noAck()) {
            throw ChannelException.preconditionFailed("reply consumer cannot acknowledge");
        }
        if (consumerTag != null) {
            throw ChannelException.preconditionFailed("reply consumer already set");
        }
        consumerTag = m.consumerTag().isEmpty() ? VirtualHost.generateName("amq.ctag-") : m.consumerTag();
        ReplyAddresses addresses = channel.connection().broker().replyAddresses();
        address = addresses.newAddress();
        addresses.register(address, channel);
        if (!m.noWait()) {
            channel.send(new BasicConsumeOk(consumerTag));
        }
    }

    boolean cancel(String tag) {
        if (consumerTag == null || !consumerTag.equals(tag)) {
            return false;
        }
        release();
        return true;
    }

    void release() {
        if (address != null) {
            channel.connection().broker().replyAddresses().unregister(address, channel);
        }
        consumerTag = null;
        address = null;
    }

    /**
     * A request with reply_to = the pseudo-queue gets this channel's reply address written in;
     * 406 if the channel has no reply consumer. Returns the (possibly rewritten) property bytes.
     */
    byte[] rewriteRequest(byte[] rawProperties) {
        if (rawProperties.length < 2 || ((((rawProperties[0] & 0xFF) << 8) | (rawProperties[1] & 0xFF)) & REPLY_TO_FLAG) == 0) {
            return rawProperties;
        }
        BasicProperties p = BasicProperties.decode(rawProperties);
        if (!PSEUDO_QUEUE.equals(p.replyTo())) {
            return rawProperties;
        }
        if (address == null) {
            throw ChannelException.preconditionFailed("fast reply consumer does not exist");
        }
        return withReplyTo(p, address).encode();
    }

    private static BasicProperties withReplyTo(BasicProperties p, String replyTo) {
        return new BasicProperties(p.contentType(), p.contentEncoding(), p.headers(), p.deliveryMode(), p.priority(),
                p.correlationId(), replyTo, p.expiration(), p.messageId(), p.timestamp(), p.type(), p.userId(),
                p.appId(), p.clusterId());
    }

    /**
     * Routes a reply to the channel at its address, on this node or (in a cluster) the node the
     * address names; false if none takes it (it is then dropped, as RabbitMQ drops it).
     */
    static boolean routeReply(BrokerState broker, Message msg) {
        return broker.replyAddresses().route(msg);
    }

    /** On the target channel's loop: deliver without ack, as to any no-ack consumer. */
    void deliver(Message msg, long deliveryTag) {
        channel.writeContent(new BasicDeliver(consumerTag, deliveryTag, false, msg.exchange(), msg.routingKey()), msg);
    }

    boolean active() {
        return consumerTag != null;
    }
}
