package io.warren.broker.model;

import io.warren.codec.BasicProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dead-lettering of one queue (x-dead-letter-exchange, x-dead-letter-routing-key), as RabbitMQ
 * 3.10's rabbit_dead_letter does it: the dead letter is a new message published to the DLX with
 * the DLX as its exchange, an updated {@code x-death} header and no {@code expiration}. Without a
 * dead-letter routing key it is routed by the message's own keys (CC included) and keeps CC; with
 * one, by that key only, and CC is removed. A missing DLX drops the message. Queues that would
 * close a cycle in which nothing was rejected are skipped (logged once per cycle).
 *
 * <p>Runs on the thread that caused the deaths, never under a queue's lock: a queue collects its
 * dead letters under its lock and calls {@link #publish} after releasing it.
 */
final class DeadLetterer {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterer.class);

    static final String REJECTED = "rejected";
    static final String EXPIRED = "expired";
    static final String MAXLEN = "maxlen";

    /**
     * A message leaving the queue for the given reason. {@code settleAfter}: an entry whose body is
     * only on disk, settled in the store after its dead letter was made (its file must still exist
     * when the body is read); null when it was settled already.
     */
    record DeadLetter(Message message, String reason, QueueEntry settleAfter) {
        DeadLetter(Message message, String reason) {
            this(message, reason, null);
        }
    }

    private final VirtualHost vhost;
    private final String queue;
    private final String exchange;
    private final String routingKey; // null: the message's own keys

    DeadLetterer(VirtualHost vhost, String queue, String exchange, String routingKey) {
        this.vhost = vhost;
        this.queue = queue;
        this.exchange = exchange;
        this.routingKey = routingKey;
    }

    void publish(List<DeadLetter> letters) {
        Exchange x = vhost.exchange(exchange);
        if (x == null) {
            return; // RabbitMQ drops dead letters for a DLX that does not exist
        }
        Router router = new Router();
        List<AmqpQueue> targets = new ArrayList<>();
        long nowSeconds = System.currentTimeMillis() / 1000;
        for (DeadLetter d : letters) {
            Message m = deadLetter(d.message(), d.reason(), nowSeconds);
            Map<String, Object> headers = m.properties().headers();
            router.route(x, m, routingKey == null ? ccKeys(headers) : List.of(), targets);
            if (!d.reason().equals(REJECTED)) {
                targets.removeIf(q -> {
                    boolean cycle = XDeath.isCycle(q.name(), headers.get(XDeath.HEADER));
                    if (cycle) {
                        logCycleOnce(q.name(), headers.get(XDeath.HEADER));
                    }
                    return cycle;
                });
            }
            vhost.storeHook().store(m, targets); // a persistent dead letter into a durable queue is stored first
            for (AmqpQueue q : targets) {
                q.enqueue(m);
            }
        }
    }

    /** The message to publish to the DLX for {@code original} dying here for {@code reason}. */
    Message deadLetter(Message original, String reason, long nowSeconds) {
        BasicProperties p = original.properties();
        LinkedHashMap<String, Object> headers = p.headers() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(p.headers());
        // x-death lists the publish routing key and the sender-selected ones still in the headers
        List<String> keys = new ArrayList<>();
        keys.add(original.routingKey());
        keys.addAll(ccKeys(headers));
        addStrings(headers.get("BCC"), keys);
        XDeath.record(headers, XDeath.event(reason, queue, nowSeconds, original.exchange(), keys, p.expiration()));
        if (routingKey != null) {
            headers.remove("CC");
        }
        return new Message(exchange, routingKey != null ? routingKey : original.routingKey(),
                p.withHeaders(headers).withExpiration(null), original.body());
    }

    private static List<String> ccKeys(Map<String, Object> headers) {
        List<String> keys = new ArrayList<>();
        if (headers != null) {
            addStrings(headers.get("CC"), keys);
        }
        return keys;
    }

    /** rabbit_basic:header_routes: only the long strings of an array count. */
    private static void addStrings(Object value, List<String> out) {
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        }
    }

    private void logCycleOnce(String target, Object deaths) {
        List<String> cycle = new ArrayList<>();
        cycle.add(target);
        cycle.addAll(XDeath.queues(deaths));
        if (vhost.firstReportOfCycle(cycle)) {
            LOG.warn("Message dropped. Dead-letter queues cycle detected: {}. This cycle will NOT be reported again.",
                    cycle);
        }
    }
}
