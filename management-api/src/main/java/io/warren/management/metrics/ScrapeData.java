package io.warren.management.metrics;

import io.warren.management.BrokerAdmin;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ChurnCounters;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.MessageCounters;
import io.warren.management.model.QueueInfo;
import io.warren.management.model.VhostInfo;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What one scrape reads from the broker, each part read at most once and only if a requested family
 * needs it (reading connections and channels asks every connection's event loop). {@code vhosts}
 * is the {@code vhost} filter of {@code /metrics/detailed}; empty means all.
 */
final class ScrapeData {
    private final BrokerAdmin admin;
    private final Set<String> vhosts;
    private final Supplier<List<QueueInfo>> queues;
    private final Supplier<BrokerAdmin.ClientsSnapshot> clients;
    private final Supplier<MessageCounters> counters;
    private final Supplier<List<ExchangeInfo>> exchanges;
    private final Supplier<List<BindingInfo>> bindings;
    private final Supplier<List<VhostInfo>> vhostList;
    private final Supplier<ChurnCounters> churn;

    ScrapeData(BrokerAdmin admin, Set<String> vhosts) {
        this.admin = admin;
        this.vhosts = vhosts;
        this.queues = once(() -> {
            String self = admin.node().name();
            return admin.queues().stream().filter(q -> inFilter(q.vhost()) && hostedOn(q, self)).toList();
        });
        this.clients = once(admin::clients);
        this.counters = once(admin::counters);
        this.exchanges = once(() -> admin.exchanges().stream().filter(e -> inFilter(e.vhost())).toList());
        this.bindings = once(admin::bindings);
        this.churn = once(admin::churn);
        this.vhostList = once(() -> admin.vhosts().stream().filter(v -> inFilter(v.name())).toList());
    }

    /**
     * As rabbitmq_prometheus, a node reports the queues it hosts (a quorum queue: its leader's node), so
     * that summing a family over the cluster's nodes counts each queue once; the others' proxies here
     * are left to their nodes.
     */
    private boolean hostedOn(QueueInfo q, String self) {
        Object leader = q.typeDetails().get("node");
        String host = leader instanceof String l ? l : admin.queueNode(q.vhost(), q.name());
        return host == null || host.equals(self);
    }

    BrokerAdmin admin() {
        return admin;
    }

    boolean inFilter(String vhost) {
        return vhosts.isEmpty() || vhosts.contains(vhost);
    }

    ChurnCounters churn() {
        return churn.get();
    }

    List<QueueInfo> queues() {
        return queues.get();
    }

    BrokerAdmin.ClientsSnapshot clients() {
        return clients.get();
    }

    MessageCounters counters() {
        return counters.get();
    }

    List<ExchangeInfo> exchanges() {
        return exchanges.get();
    }

    List<BindingInfo> bindings() {
        return bindings.get();
    }

    List<VhostInfo> vhosts() {
        return vhostList.get();
    }

    private static <T> Supplier<T> once(Supplier<T> read) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() { // a scrape runs on one thread
                if (value == null) {
                    value = read.get();
                }
                return value;
            }
        };
    }
}
