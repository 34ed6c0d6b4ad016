package io.warren.broker.channel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The direct reply-to addresses this broker has handed out ({@code amq.rabbitmq.reply-to.<random>}), each to the
 * channel whose reply consumer it belongs to. One per broker, so two brokers in one JVM never see each other's.
 * An address lives exactly as long as its reply consumer.
 */
public final class ReplyAddresses {
    private final Map<String, AmqpChannel> channels = new ConcurrentHashMap<>();

    void register(String address, AmqpChannel channel) {
        channels.put(address, channel);
    }

    void unregister(String address, AmqpChannel channel) {
        channels.remove(address, channel);
    }

    /** The channel consuming at this address, or null if no live reply consumer has it. */
    AmqpChannel channel(String address) {
        return channels.get(address);
    }
}
