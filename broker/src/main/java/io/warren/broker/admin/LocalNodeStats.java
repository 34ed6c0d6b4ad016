package io.warren.broker.admin;

import io.warren.broker.BrokerState;
import io.warren.broker.cluster.link.NodeLinks;
import io.warren.broker.config.BrokerConfig;
import io.warren.cluster.ClusterPeer;
import io.warren.management.model.ListenerInfo;
import io.warren.management.model.NodeInfo;
import io.warren.management.model.NodeStats;

import java.util.ArrayList;
import java.util.List;

/**
 * This node's {@link NodeStats} with its listeners named as RabbitMQ names them. Reads nothing that
 * needs another thread (the connection count is the registry's size), so the cluster link can
 * answer a peer's request for it on its event loop.
 */
final class LocalNodeStats {
    private LocalNodeStats() {
    }

    static NodeStats measure(BrokerState state, NodeInfo node, List<String> alarms) {
        long sockets = state.connections().size() + state.pluginConnections().all().size();
        return NodeStats.measure(node, alarms, sockets, listeners(state.config(), node));
    }

    static List<ListenerInfo> listeners(BrokerConfig c, NodeInfo node) {
        List<ListenerInfo> out = new ArrayList<>();
        out.add(new ListenerInfo(node.name(), "amqp", c.bind(), node.amqpPort()));
        if (c.tls().enabled()) {
            out.add(new ListenerInfo(node.name(), "amqp/ssl", c.bind(), c.tls().port()));
        }
        if (c.httpPort() >= 0) {
            out.add(new ListenerInfo(node.name(), "http", c.bind(), c.httpPort()));
        }
        if (c.cluster().enabled()) { // RabbitMQ lists its inter-node (Erlang distribution) port as "clustering"
            ClusterPeer me = c.cluster().peers().self(node.name());
            out.add(new ListenerInfo(node.name(), "clustering", me.host(), NodeLinks.dataPort(me)));
        }
        return out;
    }
}
