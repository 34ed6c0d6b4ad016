package io.warren.broker.channel;

import io.warren.broker.admin.ClientSnapshots;
import io.warren.broker.model.Exchange;
import io.warren.broker.model.Message;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueEntry;
import io.warren.broker.model.Router;
import io.warren.broker.model.VirtualHost;
import io.warren.codec.BasicProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * RabbitMQ's firehose tracer ({@code rabbitmqctl trace_on}): while a vhost traces, every publish is
 * copied to {@value VirtualHost#TRACE_EXCHANGE} with routing key {@code publish.<exchange>} and every
 * delivery (to a consumer or basic.get) with {@code deliver.<queue>}. A copy carries the original
 * body, and headers that describe the original as RabbitMQ 3.10's rabbit_trace writes them:
 * {@code exchange_name}, {@code routing_keys}, {@code properties}, {@code node}, then for a publish
 * {@code vhost, connection, channel, user, routed_queues} and for a delivery
 * {@code redelivered, vhost, connection, channel, user}. Copies are transient, unconfirmed and
 * never returned, and are not traced themselves. Callers check {@link VirtualHost#tracing()} first:
 * with tracing off the firehose costs one volatile read per message.
 */
final class Firehose {
    private Firehose() {
    }

    /** A publish on {@code ch}, after routing: {@code routed} are the queues it reached. */
    static void published(AmqpChannel ch, Exchange x, Message msg, List<String> extraKeys, List<AmqpQueue> routed) {
        List<String> keys = routingKeys(msg, extraKeys);
        Map<String, Object> h = describe(ch, msg, keys);
        origin(ch, h);
        h.put("routed_queues", routedQueues(x, keys, routed));
        copy(ch.connection().vhost(), "publish." + msg.exchange(), h, msg.body());
    }

    /** A publish to a direct reply-to address: RabbitMQ traces it as routed to no queue. */
    static void publishedReply(AmqpChannel ch, Message msg) {
        Map<String, Object> h = describe(ch, msg, List.of(msg.routingKey()));
        origin(ch, h);
        h.put("routed_queues", List.of());
        copy(ch.connection().vhost(), "publish." + msg.exchange(), h, msg.body());
    }

    /** A delivery of {@code e} from {@code q} on {@code ch}, to a consumer or a basic.get. */
    static void delivered(AmqpChannel ch, AmqpQueue q, QueueEntry e) {
        Message msg = e.message();
        if (VirtualHost.TRACE_EXCHANGE.equals(msg.exchange())) {
            return; // RabbitMQ does not trace the tracer's own messages
        }
        Map<String, Object> h = describe(ch, msg, routingKeys(msg, SenderSelectedKeys.extract(msg).keys()));
        h.put("redelivered", e.redelivered() ? 1 : 0);
        origin(ch, h);
        VirtualHost v = ch.connection().vhost();
        String key = "deliver." + q.name();
        // a delivery may run under the delivering queue's lock: the copy is routed (and other
        // queues' locks taken) in a task of its own, never from inside that lock
        java.util.concurrent.Executor loop = ch.connection().ctx().executor();
        byte[] body = msg.bodyOrNull();
        if (body != null) {
            loop.execute(() -> copy(v, key, h, body));
        } else { // paged out: read back off the loop, as the delivery itself does
            msg.readBody(loop, (b, failure) -> {
                if (failure == null) {
                    copy(v, key, h, b);
                }
            });
        }
    }

    private static List<String> routingKeys(Message msg, List<String> extraKeys) {
        List<String> keys = new ArrayList<>(1 + extraKeys.size());
        keys.add(msg.routingKey());
        keys.addAll(extraKeys);
        return keys;
    }

    /** RabbitMQ's default exchange names its queues by the keys, existing or not (sorted, distinct). */
    private static List<String> routedQueues(Exchange x, List<String> keys, List<AmqpQueue> routed) {
        TreeSet<String> names = new TreeSet<>();
        if (x.name().isEmpty()) {
            names.addAll(keys);
        } else {
            routed.forEach(q -> names.add(q.name()));
        }
        return new ArrayList<>(names);
    }

    private static Map<String, Object> describe(AmqpChannel ch, Message msg, List<String> keys) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("exchange_name", msg.exchange());
        h.put("routing_keys", keys);
        h.put("properties", properties(msg.properties()));
        h.put("node", ch.connection().broker().nodeName());
        return h;
    }

    private static void origin(AmqpChannel ch, Map<String, Object> h) {
        h.put("vhost", ch.connection().vhost().name());
        h.put("connection", ClientSnapshots.name(ch.connection()));
        h.put("channel", ch.id());
        h.put("user", ch.connection().user());
    }

    /** The message's properties as a table, in rabbit_trace's order; integers as signed 32-bit. */
    private static Map<String, Object> properties(BasicProperties p) {
        Map<String, Object> t = new LinkedHashMap<>();
        put(t, "cluster_id", p.clusterId());
        put(t, "app_id", p.appId());
        put(t, "user_id", p.userId());
        put(t, "type", p.type());
        Long ts = p.timestamp();
        put(t, "timestamp", ts == null ? null : ts == ts.intValue() ? (Object) ts.intValue() : ts);
        put(t, "message_id", p.messageId());
        put(t, "expiration", p.expiration());
        put(t, "reply_to", p.replyTo());
        put(t, "correlation_id", p.correlationId());
        put(t, "priority", p.priority());
        put(t, "delivery_mode", p.deliveryMode());
        put(t, "headers", p.headers());
        put(t, "content_encoding", p.contentEncoding());
        put(t, "content_type", p.contentType());
        return t;
    }

    private static void put(Map<String, Object> t, String key, Object value) {
        if (value != null) {
            t.put(key, value);
        }
    }

    /** Routes the copy from the trace exchange like any publish (bindings, exchange-to-exchange). */
    private static void copy(VirtualHost v, String key, Map<String, Object> headers, byte[] body) {
        Exchange trace = v.exchange(VirtualHost.TRACE_EXCHANGE);
        if (trace == null) {
            return;
        }
        byte[] props = BasicProperties.EMPTY.withHeaders(headers).encode();
        Message copy = new Message(VirtualHost.TRACE_EXCHANGE, key, props, body);
        List<AmqpQueue> targets = new ArrayList<>();
        new Router().route(trace, copy, targets);
        for (AmqpQueue q : targets) {
            q.enqueue(copy);
        }
    }
}
