package io.warren.broker.net;

import io.netty.util.collection.IntObjectHashMap;
import io.warren.broker.channel.AmqpChannel;
import io.warren.broker.error.ConnectionException;

import java.util.ArrayList;
import java.util.List;

/**
 * The open channels of one connection by number, within its negotiated channel_max, counted in the
 * broker's channel counter. Event-loop confined, as the connection is.
 */
final class ConnectionChannels {
    private final IntObjectHashMap<AmqpChannel> byId = new IntObjectHashMap<>();
    private final io.warren.broker.admin.BrokerCounters counters;
    private int max = 65535;

    ConnectionChannels(io.warren.broker.admin.BrokerCounters counters) {
        this.counters = counters;
    }

    /** The negotiated channel_max (0: no limit but the protocol's). */
    void negotiated(int channelMax) {
        this.max = channelMax == 0 ? 65535 : channelMax;
    }

    int max() {
        return max;
    }

    AmqpChannel get(int id) {
        return byId.get(id);
    }

    /** channel.open: refused with 530 once channel_max channels are open. */
    AmqpChannel open(AmqpConnection connection, int id) {
        if (byId.size() >= max) {
            throw ConnectionException.notAllowed("number of channels opened (" + byId.size()
                    + ") has reached the negotiated channel_max (" + max + ")");
        }
        AmqpChannel ch = new AmqpChannel(connection, id);
        byId.put(id, ch);
        counters.channel(true);
        return ch;
    }

    /** A channel's close handshake is complete (either direction). */
    void closed(int id) {
        if (byId.remove(id) != null) {
            counters.channel(false);
        }
    }

    /** The connection is gone: every channel lets go of what it holds (consumers, unacked messages). */
    void releaseAll() {
        for (AmqpChannel ch : byId.values()) {
            ch.release();
            counters.channel(false);
        }
        byId.clear();
    }

    /** A copy: what is done with one (a delivery that fails closes the connection) may change the table. */
    List<AmqpChannel> list() {
        return new ArrayList<>(byId.values());
    }

    /** Each channel, for work that opens or closes none. */
    void forEach(java.util.function.Consumer<AmqpChannel> action) {
        for (AmqpChannel ch : byId.values()) {
            action.accept(ch);
        }
    }

    boolean anyConsumes() {
        for (AmqpChannel ch : byId.values()) {
            if (ch.hasConsumers()) {
                return true;
            }
        }
        return false;
    }
}
