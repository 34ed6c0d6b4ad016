package io.warren.broker.cluster;

import io.warren.broker.BrokerState;
import io.warren.broker.auth.User;
import io.warren.broker.model.Destination;
import io.warren.broker.model.Exchange;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.VirtualHost;
import io.warren.routing.Binding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a node that lagged too far behind is sent the leader's snapshot, whatever it still has
 * that the snapshot lacks was deleted while it was away: replicated vhosts, users, exchanges,
 * queues and bindings not in the snapshot go (exclusive queues, which are never replicated, stay).
 */
final class SnapshotPruning {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPruning.class);

    private SnapshotPruning() {
    }

    static void removeAbsent(BrokerState state, List<Map<String, Object>> commands) {
        Set<String> keep = new HashSet<>();
        for (Map<String, Object> c : commands) {
            keep.add(key(c));
        }
        int removed = 0;
        for (User u : List.copyOf(state.users().all())) {
            if (!keep.contains("putUser\0" + u.name()) && state.users().delete(u.name())) {
                state.permissions().clearUser(u.name());
                removed++;
            }
        }
        for (VirtualHost v : List.copyOf(state.vhosts())) {
            if (!keep.contains("putVhost\0" + v.name())) {
                state.deleteVhost(v.name());
                removed++;
                continue;
            }
            for (Exchange x : List.copyOf(v.exchanges())) {
                for (Binding<Destination> b : x.bindings()) {
                    if (b.destination() instanceof AmqpQueue q && !q.exclusive()
                            && !keep.contains(bindingKey("queue.bind", v.name(), x.name(), q.name(), b.bindingKey()))) {
                        v.unbind(q, x.name(), b.bindingKey(), b.arguments());
                        removed++;
                    } else if (b.destination() instanceof Exchange dst
                            && !keep.contains(bindingKey("exchange.bind", v.name(), x.name(), dst.name(), b.bindingKey()))) {
                        v.unbindExchange(dst.name(), x.name(), b.bindingKey(), b.arguments());
                        removed++;
                    }
                }
            }
            for (AmqpQueue q : List.copyOf(v.queues())) {
                if (!q.exclusive() && !keep.contains("queue.declare\0" + v.name() + "\0" + q.name())) {
                    v.deleteQueue(q, false, false);
                    removed++;
                }
            }
            for (Exchange x : List.copyOf(v.exchanges())) {
                if (!x.isDefault() && !x.name().startsWith("amq.")
                        && !keep.contains("exchange.declare\0" + v.name() + "\0" + x.name())) {
                    v.deleteExchange(x.name(), false);
                    removed++;
                }
            }
        }
        LOG.info("cluster snapshot installed: {} definitions deleted while this node was away removed", removed);
    }

    @SuppressWarnings("unchecked")
    private static String key(Map<String, Object> c) {
        String op = (String) c.get("op");
        if (op.equals("admin")) {
            List<Object> args = (List<Object>) c.get("args");
            return c.get("action") + "\0" + args.get(0);
        }
        if (op.endsWith(".bind")) {
            return bindingKey(op, (String) c.get("vhost"), (String) c.get("source"), (String) c.get("name"),
                    (String) c.get("routing_key"));
        }
        return op + "\0" + c.get("vhost") + "\0" + c.get("name");
    }

    private static String bindingKey(String op, String vhost, String source, String destination, String key) {
        return op + "\0" + vhost + "\0" + source + "\0" + destination + "\0" + key;
    }
}
