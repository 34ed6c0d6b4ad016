package io.warren.broker.cluster;

import io.warren.broker.BrokerState;
import io.warren.broker.admin.WarrenAdmin;
import io.warren.broker.error.AmqpException;
import io.warren.broker.error.ChannelException;
import io.warren.broker.cluster.link.NodeLinks;
import io.warren.broker.cluster.link.RemoteQueue;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.Queue;
import io.warren.broker.model.QueueTypes;
import io.warren.broker.model.VirtualHost;
import io.warren.broker.persist.ArgumentCodec;
import io.warren.broker.persist.CreationIndexes;
import io.warren.cluster.ReplicatedState;
import io.warren.management.model.AdminException;
import io.warren.routing.ExchangeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the committed definition commands to this node's model, in log order, on the Raft
 * apply thread: every node runs the same VirtualHost / admin code on the same commands, so every
 * node routes with the same exchanges, queues and bindings. The result (an AMQP error or a value)
 * goes back to the node that submitted the command, which answers its client with it.
 */
final class ReplicatedDefinitions implements ReplicatedState {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedDefinitions.class);

    private final BrokerState state;
    private final WarrenAdmin admin;
    private final java.util.function.Supplier<NodeLinks> links;
    /** Set while an entry is applied (only the log's apply thread writes it); see {@link #declaringNode()}. */
    private volatile String declaringNode;
    /** vhost NUL queue name -> the node that hosts the classic queue. */
    private final Map<String, String> homes = new ConcurrentHashMap<>();

    ReplicatedDefinitions(BrokerState state, WarrenAdmin admin, java.util.function.Supplier<NodeLinks> links) {
        this.state = state;
        this.admin = admin;
        this.links = links;
    }

    String homeOf(String vhost, String queue) {
        return homes.get(key(vhost, queue));
    }

    Map<String, String> homes() {
        return homes;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        return DefinitionCommands.encode(apply(index, DefinitionCommands.decode(command)));
    }

    /**
     * Applies one command as the log entry {@code index}: what it creates is recorded as made by
     * that entry, and a command older than the vhost or queue it names (a replay at start) is skipped.
     */
    private Map<String, Object> apply(long index, Map<String, Object> c) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (ReplayGuard.isStale(c, index, state.creationIndexes())) {
            LOG.debug("cluster log entry {} ({} {}) predates what it names here: skipped", index, c.get("op"),
                    c.get("name"));
            result.put("value", null);
            return result;
        }
        state.creationIndexes().applying(index);
        declaringNode = declaringNodeOf(c);
        try {
            result.put("value", applyOne(c));
            recordQuorumMembers(c, index);
        } catch (AmqpException e) {
            result.put("code", e.replyCode());
            result.put("text", e.replyText());
        } catch (AdminException e) {
            result.put("code", e.replyCode());
            result.put("text", e.getMessage());
        } catch (IllegalArgumentException e) {
            result.put("invalid", e.getMessage());
        } finally {
            state.creationIndexes().applying(CreationIndexes.UNKNOWN);
            declaringNode = null;
        }
        return result;
    }

    /** The node a queue declare came from (a client's queue.declare or the HTTP API's), else null. */
    private static String declaringNodeOf(Map<String, Object> c) {
        if ("queue.declare".equals(c.get("op"))) {
            return (String) c.get("node");
        }
        if ("admin".equals(c.get("op")) && "declareQueue".equals(c.get("action"))) {
            List<Object> a = list(c.get("args"));
            return a.size() > 5 && a.get(5) instanceof String node ? node : null;
        }
        return null;
    }

    /** While a queue declare is applied: the node it came from, so that a quorum queue's leader can go there. */
    String declaringNode() {
        return declaringNode;
    }

    /** A declare (or import) of a quorum queue this node already had records its members (see QuorumPlacement). */
    private void recordQuorumMembers(Map<String, Object> c, long index) {
        String op = (String) c.get("op");
        if (op.equals("queue.declare")) {
            QuorumMemberCommands.recordDeclared(state, state.vhost((String) c.get("vhost")), (String) c.get("name"));
        } else if (op.equals("admin") && "declareQueue".equals(c.get("action"))) {
            List<Object> a = list(c.get("args"));
            QuorumMemberCommands.recordDeclared(state, state.vhost((String) a.get(0)), (String) a.get(1));
        } else if (op.equals("admin") && "importDefinitions".equals(c.get("action"))) {
            QuorumMemberCommands.recordDeclared(state, index);
        }
    }

    private Object applyOne(Map<String, Object> c) {
        String op = (String) c.get("op");
        if (op.equals("admin")) {
            return AdminActions.apply(admin, this, (String) c.get("action"), list(c.get("args")));
        }
        VirtualHost v = state.vhost((String) c.get("vhost"));
        if (v == null) {
            throw ChannelException.notFound("no vhost '" + c.get("vhost") + "'");
        }
        String name = (String) c.get("name");
        Map<String, Object> args = ArgumentCodec.decode((String) c.get("arguments"));
        switch (op) {
            case "exchange.declare" -> v.declareExchange(name, ExchangeType.fromWireName((String) c.get("type"))
                            .orElseThrow(), bool(c, "durable"), bool(c, "auto_delete"), bool(c, "internal"), args);
            case "exchange.delete" -> v.deleteExchange(name, bool(c, "if_unused"));
            case "queue.declare" -> {
                // the home first: the classic queue factory makes a proxy on the other nodes
                boolean known = homes.putIfAbsent(key(v.name(), name), (String) c.get("node")) != null;
                try {
                    v.declareQueue(name, bool(c, "server_named"), bool(c, "durable"), false, bool(c, "auto_delete"),
                            args, null);
                } catch (RuntimeException e) {
                    if (!known && v.queue(name) == null) {
                        homes.remove(key(v.name(), name));
                    }
                    throw e;
                }
                proxyIfElsewhere(v, v.queue(name));
            }
            case "queue.delete" -> {
                AmqpQueue q = v.queue(name);
                if (q != null && !q.exclusive()) {
                    v.deleteQueue(q, bool(c, "if_unused"), bool(c, "if_empty"));
                }
                homes.remove(key(v.name(), name));
            }
            case "queue.bind" -> v.bind(v.requireQueue(name), (String) c.get("source"), (String) c.get("routing_key"), args);
            case "queue.unbind" -> {
                AmqpQueue q = v.queue(name);
                if (q != null) {
                    v.unbind(q, (String) c.get("source"), (String) c.get("routing_key"), args);
                }
            }
            case "exchange.bind" -> v.bindExchange(name, (String) c.get("source"), (String) c.get("routing_key"), args);
            case "exchange.unbind" -> v.unbindExchange(name, (String) c.get("source"), (String) c.get("routing_key"), args);
            case "queue.members" -> QuorumMemberCommands.apply(state, v, name, stringList(c.get("members")));
            case "vhost.limits" -> {
                v.setLimits(((Number) c.get("max_connections")).intValue(), ((Number) c.get("max_queues")).intValue());
                if (c.get("default_queue_type") instanceof String t) {
                    v.setDefaultQueueType(t);
                }
            }
            default -> throw new IllegalArgumentException("unknown cluster command '" + op + "'");
        }
        return null;
    }

    /**
     * Replays a definitions import: each queue's home (decided by the importing node, {@link ImportHomes})
     * first, as for a declare; a home whose queue the import did not make (it failed first) is dropped.
     */
    void importDefinitions(Map<String, Object> defs) {
        List<String[]> homed = ImportHomes.homes(defs);
        java.util.Set<String> added = new java.util.HashSet<>();
        for (String[] h : homed) {
            if (homes.putIfAbsent(key(h[0], h[1]), h[2]) == null) {
                added.add(key(h[0], h[1]));
            }
        }
        try {
            admin.importDefinitions(defs);
        } finally {
            for (String[] h : homed) {
                VirtualHost v = state.vhost(h[0]);
                AmqpQueue q = v == null ? null : v.queue(h[1]);
                if (q != null) {
                    proxyIfElsewhere(v, q);
                } else if (added.contains(key(h[0], h[1]))) {
                    homes.remove(key(h[0], h[1]));
                }
            }
        }
    }

    /**
     * The factory of classic queues in a cluster: a queue whose home is another node is made as its
     * proxy here ({@link RemoteQueue}); this node's and exclusive ones as on a standalone broker.
     */
    QueueTypes.Factory classicQueues() {
        return (vhost, name, durable, exclusive, autoDelete, arguments, owner, policy) -> {
            String home = exclusive ? null : homes.get(key(vhost.name(), name));
            if (home == null || home.equals(state.nodeName())) {
                return QueueTypes.CLASSIC.create(vhost, name, durable, exclusive, autoDelete, arguments, owner, policy);
            }
            return new RemoteQueue(vhost, name, durable, autoDelete, arguments, policy, home, links);
        };
    }

    /**
     * A durable queue this node recovered from its own disk, before it knew the cluster's homes, is
     * a classic instance even when the queue lives on another node: its replayed declare turns it
     * into the proxy, bindings kept. What that instance held here was never the queue's.
     */
    private void proxyIfElsewhere(VirtualHost v, AmqpQueue q) {
        String home = q == null ? null : homes.get(key(v.name(), q.name()));
        if (q instanceof Queue classic && !classic.exclusive() && home != null && !home.equals(state.nodeName())) {
            v.replaceQueue(classic, new RemoteQueue(v, q.name(), q.durable(), q.autoDelete(), q.arguments(),
                    q.policy(), home, links));
        }
    }

    @Override
    public byte[] snapshot() {
        return DefinitionCommands.encode(DefinitionSnapshot.commands(state, homes));
    }

    /**
     * Replays the snapshot's commands over what this node has (its own durable definitions from
     * disk): whatever the snapshot holds exists afterwards, as it was committed, unless this node
     * has a newer vhost or queue of that name (made after the snapshot, recovered from its disk).
     * Each command counts as the snapshot's last entry {@code index}.
     */
    @Override
    public void restore(byte[] snapshot, long index, boolean replace) {
        List<Map<String, Object>> commands = DefinitionCommands.decodeList(snapshot);
        if (replace) {
            SnapshotPruning.removeAbsent(state, commands);
        }
        int failed = 0;
        for (Map<String, Object> c : commands) {
            Map<String, Object> r = apply(index, c);
            if (!r.containsKey("value")) {
                failed++;
                LOG.warn("cluster snapshot: {} {} not restored: {}", c.get("op"), c.get("name"), r);
            }
        }
        LOG.info("restored cluster definitions from a snapshot ({} not restored)", failed);
    }

    static String key(String vhost, String queue) {
        return vhost + '\0' + queue;
    }

    private static boolean bool(Map<String, Object> c, String k) {
        return Boolean.TRUE.equals(c.get(k));
    }

    @SuppressWarnings("unchecked")
    private static List<String> stringList(Object o) {
        return (List<String>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
