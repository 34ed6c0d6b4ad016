package io.warren.broker;

import io.warren.broker.auth.UserStore;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.model.VirtualHost;
import io.warren.broker.net.AmqpConnection;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What every connection shares: configuration, users, virtual hosts and the live connections. */
public final class BrokerState {
    private final BrokerConfig config;
    private final UserStore users;
    private final Map<String, VirtualHost> vhosts = new ConcurrentHashMap<>();
    private final Set<AmqpConnection> connections = ConcurrentHashMap.newKeySet();

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
}
