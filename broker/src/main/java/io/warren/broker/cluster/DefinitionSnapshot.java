package io.warren.broker.cluster;

import io.warren.broker.BrokerState;
import io.warren.broker.auth.PermissionStore;
import io.warren.broker.auth.User;
import io.warren.broker.model.Destination;
import io.warren.broker.model.Exchange;
import io.warren.broker.model.Policy;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.VirtualHost;
import io.warren.routing.Binding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the replicated definitions, written as the commands that rebuild them (vhosts
 * and users before the permissions and policies that name them, exchanges and queues before their
 * bindings). Exclusive queues are left out: they belong to one connection on one node and are
 * never replicated.
 */
final class DefinitionSnapshot {
    private DefinitionSnapshot() {
    }

    static List<Map<String, Object>> commands(BrokerState state, Map<String, String> homes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (VirtualHost v : state.vhosts()) {
            out.add(DefinitionCommands.admin("putVhost", v.name()));
            out.add(DefinitionCommands.vhostSettings(v.name(), v.maxConnections(), v.maxQueues(), v.defaultQueueType()));
        }
        for (User u : state.users().all()) {
            out.add(DefinitionCommands.admin("putUser", u.name(), u.passwordHash(), new ArrayList<>(u.tags())));
        }
        for (PermissionStore.Entry e : state.permissions().all()) {
            out.add(DefinitionCommands.admin("setPermission", e.user(), e.vhost(), e.permission().configure(),
                    e.permission().write(), e.permission().read()));
        }
        for (VirtualHost v : state.vhosts()) {
            for (Policy p : v.policies()) {
                out.add(DefinitionCommands.admin("putPolicy", v.name(), p.name(), p.pattern(), p.definition(),
                        p.priority(), p.applyTo()));
            }
            for (Exchange x : v.exchanges()) {
                if (!x.isDefault() && !x.name().startsWith("amq.")) {
                    out.add(DefinitionCommands.exchangeDeclare(v.name(), x.name(), x.type().wireName(), x.durable(),
                            x.autoDelete(), x.internal(), x.arguments()));
                }
            }
            for (AmqpQueue q : v.queues()) {
                if (!q.exclusive()) {
                    out.add(DefinitionCommands.queueDeclare(v.name(), q.name(), q.name().startsWith("amq."), q.durable(),
                            q.autoDelete(), q.arguments(), homes.get(ReplicatedDefinitions.key(v.name(), q.name()))));
                }
                if (q instanceof io.warren.broker.model.QuorumQueue qq) { // its members as they are now
                    out.add(QuorumMemberCommands.members(v.name(), q.name(), qq.memberNames()));
                }
            }
            for (Exchange x : v.exchanges()) {
                if (x.isDefault()) {
                    continue;
                }
                for (Binding<Destination> b : x.bindings()) {
                    if (b.destination() instanceof AmqpQueue q && !q.exclusive()) {
                        out.add(DefinitionCommands.binding("queue.bind", v.name(), x.name(), q.name(), b.bindingKey(),
                                b.arguments()));
                    } else if (b.destination() instanceof Exchange dst) {
                        out.add(DefinitionCommands.binding("exchange.bind", v.name(), x.name(), dst.name(),
                                b.bindingKey(), b.arguments()));
                    }
                }
            }
        }
        return out;
    }
}
