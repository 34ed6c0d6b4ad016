package io.warren.management.api;

import io.warren.management.BrokerAdmin;
import io.warren.management.model.AckMode;
import io.warren.management.model.AdminException;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ChannelInfo;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.ConsumerInfo;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.GotMessage;
import io.warren.management.model.MessageCounters;
import io.warren.management.model.NodeInfo;
import io.warren.management.model.PermissionInfo;
import io.warren.management.model.QueueInfo;
import io.warren.management.model.UserInfo;
import io.warren.management.model.VhostInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory broker for API tests: queues hold byte payloads, exchanges route by queue name only. */
final class FakeAdmin implements BrokerAdmin {
    final Map<String, QueueInfo> queues = new LinkedHashMap<>();
    final Map<String, List<byte[]>> contents = new LinkedHashMap<>();
    final Map<String, ExchangeInfo> exchanges = new LinkedHashMap<>();
    /** queue name -> the cluster node hosting it (none: this node, as standalone). */
    final Map<String, String> homes = new LinkedHashMap<>();
    final List<BindingInfo> bindings = new ArrayList<>();
    final List<ConnectionInfo> connections = new ArrayList<>();
    final List<String> closed = new ArrayList<>();
    final List<String> alarms = new ArrayList<>();
    final List<ChannelInfo> channels = new ArrayList<>(List.of(new ChannelInfo("c1", 1, "/", "guest", "127.0.0.1", 1,
            0, 0, 0, 0, false, "running")));
    final List<ConsumerInfo> consumers = new ArrayList<>();
    final List<UserInfo> users = new ArrayList<>(List.of(new UserInfo("guest", null, List.of("administrator")),
            new UserInfo("mon", null, List.of("monitoring")), new UserInfo("nobody", null, List.of()),
            new UserInfo("mgr", null, List.of("management"))));
    final List<PermissionInfo> permissions = new ArrayList<>(List.of(new PermissionInfo("guest", "/", ".*", ".*", ".*"),
            new PermissionInfo("mgr", "/", "^mgr\\..*", ".*", ".*")));

    FakeAdmin() {
        exchanges.put("", new ExchangeInfo("/", "", "direct", true, false, false, Map.of()));
        exchanges.put("amq.direct", new ExchangeInfo("/", "amq.direct", "direct", true, false, false, Map.of()));
    }

    @Override
    public NodeInfo node() {
        return new NodeInfo("warren@test", "Warren", "1.0", "warren@test", System.currentTimeMillis() - 1000, "0.0.0.0",
                5672, 1, System.getProperty("java.io.tmpdir"), 100L << 20, 400L << 20, 256L << 20);
    }

    @Override
    public String queueNode(String vhost, String queue) {
        return homes.get(queue);
    }

    @Override
    public MessageCounters counters() {
        return new MessageCounters(10, 5, 0, 1, 0, 0, 4, 0, 0, 0, 2);
    }

    @Override
    public List<String> alarms() {
        return alarms;
    }

    @Override
    public List<VhostInfo> vhosts() {
        return List.of(new VhostInfo("/", "Default virtual host"), new VhostInfo("secret", ""));
    }

    @Override
    public List<UserInfo> users() {
        return users;
    }

    @Override
    public List<PermissionInfo> permissions() {
        return permissions;
    }

    @Override
    public Optional<UserInfo> authenticate(String user, String password, boolean fromLoopback) {
        return users().stream().filter(u -> u.name().equals(user) && password.equals(user.equals("guest") ? "guest"
                : "pw")).findFirst();
    }

    @Override
    public List<QueueInfo> queues() {
        List<QueueInfo> out = new ArrayList<>();
        for (QueueInfo q : queues.values()) {
            out.add(new QueueInfo(q.vhost(), q.name(), q.durable(), q.autoDelete(), false, q.arguments(),
                    contents.get(q.name()).size(), 0, 0, 0, 0, 0, null));
        }
        return out;
    }

    @Override
    public List<ExchangeInfo> exchanges() {
        return new ArrayList<>(exchanges.values());
    }

    @Override
    public List<BindingInfo> bindings() {
        return new ArrayList<>(bindings);
    }

    @Override
    public ClientsSnapshot clients() {
        return new ClientsSnapshot(connections, channels, consumers);
    }

    @Override
    public boolean declareQueue(String vhost, String name, boolean durable, boolean autoDelete,
                                Map<String, Object> arguments) {
        if (name.startsWith("amq.")) {
            throw new AdminException(403, "ACCESS_REFUSED - queue name '" + name + "' contains reserved prefix 'amq.*'");
        }
        QueueInfo old = queues.get(name);
        if (old != null) {
            if (old.durable() != durable) {
                throw new AdminException(406, "PRECONDITION_FAILED - inequivalent arg 'durable' for queue '" + name
                        + "' in vhost '/': received '" + durable + "' but current is '" + old.durable() + "'");
            }
            return false;
        }
        queues.put(name, new QueueInfo(vhost, name, durable, autoDelete, false, arguments, 0, 0, 0, 0, 0, 0, null));
        contents.put(name, new ArrayList<>());
        return true;
    }

    @Override
    public boolean deleteQueue(String vhost, String name, boolean ifUnused, boolean ifEmpty) {
        contents.remove(name);
        return queues.remove(name) != null;
    }

    @Override
    public int purgeQueue(String vhost, String name) {
        List<byte[]> c = contents.get(name);
        if (c == null) {
            throw new AdminException(404, "NOT_FOUND - no queue '" + name + "' in vhost '/'");
        }
        int n = c.size();
        c.clear();
        return n;
    }

    @Override
    public boolean declareExchange(String vhost, String name, String type, boolean durable, boolean autoDelete,
                                   boolean internal, Map<String, Object> arguments) {
        if (!List.of("direct", "fanout", "topic", "headers").contains(type)) {
            throw new AdminException(503, "COMMAND_INVALID - unknown exchange type '" + type + "'");
        }
        return exchanges.putIfAbsent(name, new ExchangeInfo(vhost, name, type, durable, autoDelete, internal,
                arguments)) == null;
    }

    @Override
    public boolean deleteExchange(String vhost, String name, boolean ifUnused) {
        return exchanges.remove(name) != null;
    }

    @Override
    public void bind(String vhost, String source, String destinationType, String destination, String routingKey,
                     Map<String, Object> arguments) {
        bindings.add(new BindingInfo(vhost, source, destination, destinationType, routingKey, arguments));
    }

    @Override
    public boolean unbind(String vhost, String source, String destinationType, String destination, String routingKey,
                          Map<String, Object> arguments) {
        return bindings.removeIf(b -> b.source().equals(source) && b.destination().equals(destination)
                && b.routingKey().equals(routingKey));
    }

    @Override
    public boolean publish(String vhost, String exchange, String routingKey, Map<String, Object> properties,
                           byte[] payload) {
        if (!exchanges.containsKey(exchange)) {
            throw new AdminException(404, "NOT_FOUND - no exchange '" + exchange + "' in vhost '/'");
        }
        List<byte[]> q = contents.get(routingKey);
        if (q == null) {
            return false;
        }
        q.add(payload);
        return true;
    }

    @Override
    public List<GotMessage> get(String vhost, String queue, int count, AckMode mode) {
        List<byte[]> q = contents.get(queue);
        if (q == null) {
            throw new AdminException(404, "NOT_FOUND - no queue '" + queue + "' in vhost '/'");
        }
        List<GotMessage> out = new ArrayList<>();
        for (int i = 0; i < Math.min(count, q.size()); i++) {
            out.add(new GotMessage(q.get(i), false, "", queue, q.size() - i - 1, Map.of()));
        }
        if (!mode.requeue()) {
            q.subList(0, out.size()).clear();
        }
        return out;
    }

    final Map<String, List<String>> extraUsers = new LinkedHashMap<>();
    final List<String> extraVhosts = new ArrayList<>();
    final List<String> permissionsSet = new ArrayList<>();
    Map<String, Object> imported;

    @Override
    public boolean putUser(String name, String password, String passwordHash, List<String> tags) {
        return extraUsers.put(name, tags) == null;
    }

    @Override
    public boolean deleteUser(String name) {
        return extraUsers.remove(name) != null;
    }

    @Override
    public boolean putVhost(String name) {
        return !extraVhosts.contains(name) && extraVhosts.add(name);
    }

    @Override
    public boolean setTracing(String vhost, boolean on) {
        return vhosts().stream().anyMatch(v -> v.name().equals(vhost)) || extraVhosts.contains(vhost);
    }

    @Override
    public boolean deleteVhost(String name) {
        return extraVhosts.remove(name);
    }

    @Override
    public boolean setPermission(String user, String vhost, String configure, String write, String read) {
        if (!extraUsers.containsKey(user) && !user.equals("guest")) {
            throw new AdminException(404, "NOT_FOUND - vhost_or_user_not_found");
        }
        permissionsSet.add(user + "@" + vhost + ":" + configure + "/" + write + "/" + read);
        return true;
    }

    @Override
    public boolean clearPermission(String user, String vhost) {
        return permissionsSet.removeIf(p -> p.startsWith(user + "@" + vhost + ":"));
    }

    /** Declares the queues of the document, enough to see the import reach the broker. */
    @Override
    @SuppressWarnings("unchecked")
    public void importDefinitions(Map<String, Object> definitions) {
        imported = definitions;
        for (Object q : (List<Object>) definitions.getOrDefault("queues", List.of())) {
            Map<String, Object> m = (Map<String, Object>) q;
            if (!"/".equals(m.get("vhost"))) {
                throw new IllegalArgumentException("no vhost " + m.get("vhost"));
            }
            declareQueue("/", (String) m.get("name"), Boolean.TRUE.equals(m.get("durable")), false, Map.of());
        }
    }

    @Override
    public boolean closeConnection(String name, String reason) {
        closed.add(name + ":" + reason);
        return connections.stream().anyMatch(c -> c.name().equals(name));
    }
}
