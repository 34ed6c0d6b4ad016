package io.warren.management.api;

import io.warren.management.metrics.RateSampler;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ChannelInfo;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.ConsumerInfo;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.PermissionInfo;
import io.warren.management.model.QueueInfo;
import io.warren.management.model.UserInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's snapshots as RabbitMQ 3.10's management API spells them (field names and
 * nesting taken from a live 3.10.8). Fields that make no sense for Warren (Erlang garbage
 * collection, reductions, backing queue internals) are left out rather than faked.
 */
final class Formats {
    private Formats() {
    }

    static Map<String, Object> details(double rate) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate", Math.round(rate * 10.0) / 10.0);
        return m;
    }

    static Map<String, Object> queue(QueueInfo q, String node, RateSampler rates) {
        double[] r = rates.queueRates(q.vhost(), q.name());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arguments", q.arguments());
        m.put("auto_delete", q.autoDelete());
        m.put("consumers", q.consumers());
        m.put("durable", q.durable());
        m.put("exclusive", q.exclusive());
        m.put("exclusive_consumer_tag", null);
        m.put("message_bytes", q.messageBytesReady());
        m.put("message_bytes_ready", q.messageBytesReady());
        m.put("memory", q.memoryEstimate());
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("publish", q.published());
        stats.put("publish_details", details(r[0]));
        stats.put("deliver_get", q.delivered());
        stats.put("deliver_get_details", details(r[1]));
        m.put("message_stats", stats);
        m.put("messages", q.messages());
        m.put("messages_details", details(0));
        m.put("messages_ready", q.messagesReady());
        m.put("messages_ready_details", details(0));
        m.put("messages_paged_out", q.messagesPagedOut());
        m.put("message_bytes_paged_out", q.messageBytesPagedOut());
        m.put("messages_ram", q.messages() - q.messagesPagedOut());
        m.put("message_bytes_ram", q.messageBytesReady() - q.messageBytesPagedOut());
        m.put("messages_unacknowledged", q.messagesUnacknowledged());
        m.put("messages_unacknowledged_details", details(0));
        m.put("name", q.name());
        m.put("node", node);
        m.put("operator_policy", null);
        m.put("policy", q.policy());
        m.put("effective_policy_definition", q.effectivePolicyDefinition());
        m.put("single_active_consumer_tag", null);
        m.put("state", "running");
        m.put("type", q.type()); // as declared, like RabbitMQ
        if ("stream".equals(q.type())) {
            m.put("segments", q.segments()); // Warren's addition: the stream's segment files
        }
        m.put("vhost", q.vhost());
        if (q.exclusiveOwner() != null) {
            m.put("owner_pid_details", Map.of("name", q.exclusiveOwner()));
        }
        m.putAll(q.typeDetails()); // a quorum queue's node is its leader's, as RabbitMQ shows it
        return m;
    }

    static Map<String, Object> exchange(ExchangeInfo x, RateSampler rates) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arguments", x.arguments());
        m.put("auto_delete", x.autoDelete());
        m.put("durable", x.durable());
        m.put("internal", x.internal());
        if (x.publishIn() > 0 || x.publishOut() > 0) { // RabbitMQ 3.10 shows message_stats once there is traffic
            double[] r = rates.exchangeRates(x.vhost(), x.name());
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("publish_in", x.publishIn());
            stats.put("publish_in_details", details(r[0]));
            stats.put("publish_out", x.publishOut());
            stats.put("publish_out_details", details(r[1]));
            m.put("message_stats", stats);
        }
        m.put("name", x.name());
        if (x.policy() != null) {
            m.put("policy", x.policy()); // RabbitMQ 3.10 leaves the field out when no policy applies
        }
        m.put("type", x.type());
        m.put("user_who_performed_action", x.name().isEmpty() || x.name().startsWith("amq.") ? "rmq-internal" : "");
        m.put("vhost", x.vhost());
        return m;
    }

    static Map<String, Object> binding(BindingInfo b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", b.source());
        m.put("vhost", b.vhost());
        m.put("destination", b.destination());
        m.put("destination_type", b.destinationType());
        m.put("routing_key", b.routingKey());
        m.put("arguments", b.arguments());
        m.put("properties_key", PropertiesKey.of(b.routingKey(), b.arguments()));
        return m;
    }

    static Map<String, Object> connection(ConnectionInfo c, String node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auth_mechanism", c.authMechanism());
        m.put("channel_max", c.channelMax());
        m.put("channels", c.channels());
        m.put("client_properties", c.clientProperties());
        m.put("connected_at", c.connectedAt());
        m.put("frame_max", c.frameMax());
        m.put("host", c.host());
        m.put("name", c.name());
        m.put("node", node);
        m.put("peer_host", c.peerHost());
        m.put("peer_port", c.peerPort());
        m.put("port", c.port());
        m.put("protocol", c.protocol());
        m.put("ssl", c.ssl());
        m.put("state", c.state());
        m.put("timeout", c.heartbeat());
        m.put("type", "network");
        m.put("user", c.user());
        Object provided = c.clientProperties().get("connection_name");
        if (provided != null) {
            m.put("user_provided_name", String.valueOf(provided));
        }
        m.put("user_who_performed_action", c.user());
        m.put("vhost", c.vhost());
        return m;
    }

    static Map<String, Object> channel(ChannelInfo ch, String node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acks_uncommitted", 0);
        m.put("confirm", ch.confirm());
        Map<String, Object> conn = new LinkedHashMap<>();
        conn.put("name", ch.connectionName());
        conn.put("peer_host", ch.peerHost());
        conn.put("peer_port", ch.peerPort());
        m.put("connection_details", conn);
        m.put("consumer_count", ch.consumerCount());
        m.put("global_prefetch_count", ch.globalPrefetchCount());
        m.put("messages_unacknowledged", ch.messagesUnacknowledged());
        m.put("messages_uncommitted", 0);
        m.put("messages_unconfirmed", 0);
        m.put("name", ch.name());
        m.put("node", node);
        m.put("number", ch.number());
        m.put("prefetch_count", ch.prefetchCount());
        m.put("state", ch.state());
        m.put("transactional", false);
        m.put("user", ch.user());
        m.put("user_who_performed_action", ch.user());
        m.put("vhost", ch.vhost());
        return m;
    }

    static Map<String, Object> consumer(ConsumerInfo c, String node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arguments", c.arguments());
        m.put("ack_required", c.ackRequired());
        m.put("active", c.active());
        m.put("activity_status", c.activityStatus());
        Map<String, Object> ch = new LinkedHashMap<>();
        ch.put("connection_name", c.connectionName());
        ch.put("name", c.channelName());
        ch.put("node", node);
        ch.put("number", c.channelNumber());
        ch.put("peer_host", c.peerHost());
        ch.put("peer_port", c.peerPort());
        ch.put("user", c.user());
        m.put("channel_details", ch);
        m.put("consumer_tag", c.consumerTag());
        m.put("exclusive", c.exclusive());
        m.put("prefetch_count", c.prefetchCount());
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("name", c.queue());
        q.put("vhost", c.vhost());
        m.put("queue", q);
        return m;
    }

    static Map<String, Object> user(UserInfo u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("password_hash", u.passwordHash() == null ? "" : u.passwordHash());
        m.put("hashing_algorithm", "rabbit_password_hashing_sha256");
        m.put("tags", u.tags());
        m.put("limits", Map.of());
        return m;
    }

    static Map<String, Object> permission(PermissionInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", p.user());
        m.put("vhost", p.vhost());
        m.put("configure", p.configure());
        m.put("write", p.write());
        m.put("read", p.read());
        return m;
    }

    static List<Map<String, Object>> exchangeTypes() {
        return List.of(exchangeType("direct"), exchangeType("fanout"), exchangeType("headers"), exchangeType("topic"));
    }

    private static Map<String, Object> exchangeType(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("description", "AMQP " + name + " exchange, as per the AMQP specification");
        m.put("enabled", true);
        return m;
    }
}
