package io.warren.broker;

import io.warren.broker.admin.BrokerCounters;
import io.warren.broker.auth.UserStore;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.model.VirtualHost;
import io.warren.broker.net.AmqpConnection;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What every connection shares: configuration, users, virtual hosts and the live connections. */
public final class BrokerState {
    private final BrokerConfig config;
    private final UserStore users;
    private final Map<String, VirtualHost> vhosts = new ConcurrentHashMap<>();
    private final Set<AmqpConnection> connections = ConcurrentHashMap.newKeySet();
    private final BrokerCounters counters = new BrokerCounters();

    public BrokerState(BrokerConfig config) {
        this.config = config;
        this.users = new UserStore(config.defaultUser(), config.defaultPassword());
        vhosts.put("/", new VirtualHost("/"));
    }

    public BrokerConfig config() {
        return config;
    }

    public UserStore users() {
        return users;
    }

    public VirtualHost vhost(String name) {
        return vhosts.get(name);
    }

    public Set<AmqpConnection> connections() {
        return connections;
    }

    /** Every virtual host (for the management API). */
    public Collection<VirtualHost> vhosts() {
        return vhosts.values();
    }

    /** Broker-wide message counters (publish, deliver, ack ...) for the management API and metrics. */
    public BrokerCounters counters() {
        return counters;
    }
}
