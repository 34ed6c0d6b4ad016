package io.warren.management.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.warren.management.model.ChannelInfo;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.MessageCounters;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * rabbitmq_prometheus' channel and connection groups. RabbitMQ labels both with {@code channel}
 * (the Erlang process); Warren puts the channel's or connection's management name there.
 * Message counters are kept broker-wide in Warren (no per-message cost per channel), so the
 * channel counter families carry the broker's totals (see {@link Families#brokerWideCounter}).
 */
final class ClientFamilies {
    private ClientFamilies() {
    }

    static void channels(ScrapeData d, Families f) {
        List<ChannelInfo> chs = d.clients().channels();
        f.objectGauge("channel_consumers", "Consumers on a channel", each(chs, ChannelInfo::consumerCount));
        f.objectGauge("channel_messages_unacked", "Delivered but not yet acknowledged messages",
                each(chs, ChannelInfo::messagesUnacknowledged));
        f.objectGauge("channel_messages_unconfirmed", "Published but not yet confirmed messages", each(chs, c -> 0));
        f.objectGauge("channel_messages_uncommitted", "Messages received in a transaction but not yet committed",
                each(chs, c -> 0));
        f.objectGauge("channel_acks_uncommitted", "Message acknowledgements in a transaction not yet committed",
                each(chs, c -> 0));
        f.objectGauge("consumer_prefetch", "Limit of unacknowledged messages for each consumer",
                each(chs, ChannelInfo::prefetchCount));
        f.objectGauge("channel_prefetch", "Total limit of unacknowledged messages for all consumers on a channel",
                each(chs, ChannelInfo::globalPrefetchCount));
    }

    static void channelExchange(ScrapeData d, Families f) {
        MessageCounters c = d.counters();
        String[] labels = {"channel", "exchange", "vhost"};
        f.brokerWideCounter("channel_messages_published_total",
                "Total number of messages published into an exchange on a channel", c.publish(), labels);
        f.brokerWideCounter("channel_messages_confirmed_total",
                "Total number of messages published into an exchange and confirmed on the channel", c.confirm(),
                labels);
        f.brokerWideCounter("channel_messages_unroutable_returned_total",
                "Total number of messages published as mandatory into an exchange and returned to the publisher as unroutable",
                c.returnUnroutable(), labels);
        f.brokerWideCounter("channel_messages_unroutable_dropped_total",
                "Total number of messages published as non-mandatory into an exchange and dropped as unroutable",
                c.dropUnroutable(), labels);
    }

    static void channelProcess(ScrapeData d, Families f) {
        f.objectCounter("channel_process_reductions_total", "Total number of channel process reductions",
                each(d.clients().channels(), c -> 0));
    }

    static void channelQueue(ScrapeData d, Families f) {
        MessageCounters c = d.counters();
        String[] labels = {"channel", "queue", "vhost"};
        f.brokerWideCounter("channel_get_ack_total",
                "Total number of messages fetched with basic.get in manual acknowledgement mode", c.get(), labels);
        f.brokerWideCounter("channel_get_total",
                "Total number of messages fetched with basic.get in automatic acknowledgement mode", c.getNoAck(),
                labels);
        f.brokerWideCounter("channel_messages_delivered_ack_total",
                "Total number of messages delivered to consumers in manual acknowledgement mode", c.deliver(), labels);
        f.brokerWideCounter("channel_messages_delivered_total",
                "Total number of messages delivered to consumers in automatic acknowledgement mode", c.deliverNoAck(),
                labels);
        f.brokerWideCounter("channel_messages_redelivered_total", "Total number of messages redelivered to consumers",
                c.redeliver(), labels);
        f.brokerWideCounter("channel_messages_acked_total", "Total number of messages acknowledged by consumers",
                c.ack(), labels);
        f.brokerWideCounter("channel_get_empty_total",
                "Total number of times basic.get operations fetched no message", c.getEmpty(), labels);
    }

    /** Byte and reduction counters: Warren does not count bytes per connection yet (0). */
    static void connectionCoarse(ScrapeData d, Families f) {
        List<ConnectionInfo> cs = d.clients().connections();
        f.objectCounter("connection_incoming_bytes_total", "Total number of bytes received on a connection",
                connections(cs, c -> 0));
        f.objectCounter("connection_outgoing_bytes_total", "Total number of bytes sent on a connection",
                connections(cs, c -> 0));
        f.objectCounter("connection_process_reductions_total", "Total number of connection process reductions",
                connections(cs, c -> 0));
    }

    static void connection(ScrapeData d, Families f) {
        List<ConnectionInfo> cs = d.clients().connections();
        f.objectCounter("connection_incoming_packets_total", "Total number of packets received on a connection",
                connections(cs, c -> 0));
        f.objectCounter("connection_outgoing_packets_total", "Total number of packets sent on a connection",
                connections(cs, c -> 0));
        f.objectGauge("connection_pending_packets", "Number of packets waiting to be sent on a connection",
                connections(cs, c -> 0));
        f.objectGauge("connection_channels", "Channels on a connection", connections(cs, ConnectionInfo::channels));
    }

    private static List<Families.Sample> each(List<ChannelInfo> chs, ToDoubleFunction<ChannelInfo> value) {
        List<Families.Sample> out = new ArrayList<>(chs.size());
        for (ChannelInfo c : chs) {
            out.add(new Families.Sample(Labels.of("channel", c.name()), value.applyAsDouble(c)));
        }
        return out;
    }

    private static List<Families.Sample> connections(List<ConnectionInfo> cs, ToDoubleFunction<ConnectionInfo> value) {
        List<Families.Sample> out = new ArrayList<>(cs.size());
        for (ConnectionInfo c : cs) {
            out.add(new Families.Sample(Labels.of("channel", c.name()), value.applyAsDouble(c)));
        }
        return out;
    }
}
