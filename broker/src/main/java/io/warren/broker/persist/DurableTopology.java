package io.warren.broker.persist;

import io.warren.broker.BrokerState;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.PermissionStore;
import io.warren.broker.auth.User;
import io.warren.broker.model.Destination;
import io.warren.broker.model.Exchange;
import io.warren.broker.model.Policy;
import io.warren.broker.model.PolicyValidator;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.TopologyListener;
import io.warren.broker.model.VirtualHost;
import io.warren.routing.ExchangeType;
import io.warren.storage.MessageStore;
import io.warren.storage.MetaKey;
import io.warren.storage.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the durable definitions on disk (storage's MetadataStore, one JSON record per entity):
 * vhosts, users, permissions, policies, durable exchanges, durable non-exclusive queues with their
 * arguments, and bindings between durable ends. {@link #recover} rebuilds them at start; after
 * that every change is written as it happens, off the event loop (the store's writer thread syncs
 * in groups). Transient and exclusive things are never written, so they are gone after a restart.
 */
public final class DurableTopology implements TopologyListener {
    private static final Logger LOG = LoggerFactory.getLogger(DurableTopology.class);
    private static final Executor DIRECT = Runnable::run;
    private static final String VHOST = "vhost";
    private static final String USER = "user";
    private static final String PERMISSION = "permission";
    private static final String EXCHANGE = "exchange";
    private static final String QUEUE = "queue";
    private static final String BINDING = "binding";
    private static final String POLICY = "policy";

    private final MetadataStore store;
    private final MessageStore messages;
    private final JsonRecords json = new JsonRecords();
    private final AtomicLong lastQueueStorageId = new AtomicLong();
    private BrokerState state;

    public DurableTopology(MetadataStore store, MessageStore messages) {
        this.store = store;
        this.messages = messages;
    }

    /** Rebuilds what was stored, then starts listening for changes. Call before the listener opens. */
    public void recover(BrokerState state) {
        this.state = state;
        int n = 0;
        for (Map.Entry<MetaKey, byte[]> e : store.list(VHOST)) {
            Map<String, Object> v = read(e.getValue());
            VirtualHost vhost = state.addVhost(e.getKey().name());
            vhost.setLimits(intOr(v, "max_connections", -1), intOr(v, "max_queues", -1));
            if (v.get("default_queue_type") instanceof String t && io.warren.broker.model.DefaultQueueType.valid(t)) {
                vhost.setDefaultQueueType(t);
            }
            state.creationIndexes().vhostCreated(e.getKey().name(), createdIndex(v));
            n++;
        }
        for (Map.Entry<MetaKey, byte[]> e : store.list(USER)) {
            Map<String, Object> u = read(e.getValue());
            @SuppressWarnings("unchecked")
            List<String> tags = (List<String>) u.getOrDefault("tags", List.of());
            state.users().put(new User(e.getKey().name(), (String) u.get("password_hash"), Set.copyOf(tags)));
        }
        for (Map.Entry<MetaKey, byte[]> e : store.list(PERMISSION)) {
            Map<String, Object> p = read(e.getValue());
            state.addVhost(e.getKey().vhost());
            state.permissions().set(e.getKey().name(), e.getKey().vhost(), new Permission((String) p.get("configure"),
                    (String) p.get("write"), (String) p.get("read")));
        }
        // policies before queues and exchanges, so each is created with its effective settings
        for (Map.Entry<MetaKey, byte[]> e : store.list(POLICY)) {
            Map<String, Object> p = read(e.getValue());
            @SuppressWarnings("unchecked")
            Map<String, Object> definition = (Map<String, Object>) p.get("definition");
            try {
                state.addVhost(e.getKey().vhost()).putPolicy(PolicyValidator.create(e.getKey().vhost(),
                        e.getKey().name(), (String) p.get("pattern"), definition, p.get("priority"),
                        (String) p.get("apply-to")));
                n++;
            } catch (RuntimeException ex) { // stored by an older version that checked less: skip, do not fail the start
                LOG.warn("ignoring stored policy '{}' in vhost '{}': {}", e.getKey().name(), e.getKey().vhost(),
                        ex.getMessage());
            }
        }
        for (Map.Entry<MetaKey, byte[]> e : store.list(EXCHANGE)) {
            Map<String, Object> x = read(e.getValue());
            VirtualHost v = state.addVhost(e.getKey().vhost());
            ExchangeType type = ExchangeType.fromWireName((String) x.get("type")).orElseThrow();
            v.declareExchange(e.getKey().name(), type, true, bool(x, "auto_delete"), bool(x, "internal"),
                    ArgumentCodec.decode((String) x.get("arguments")));
            n++;
        }
        for (Map.Entry<MetaKey, byte[]> e : store.list(QUEUE)) { // first the highest id in use
            Object id = read(e.getValue()).get("storage_id");
            if (id instanceof Number num) {
                lastQueueStorageId.accumulateAndGet(num.longValue(), Math::max);
            }
        }
        for (Map.Entry<MetaKey, byte[]> e : store.list(QUEUE)) {
            Map<String, Object> q = read(e.getValue());
            VirtualHost v = state.addVhost(e.getKey().vhost());
            Map<String, Object> arguments = withoutUndeliverableKey(e.getKey(),
                    ArgumentCodec.decode((String) q.get("arguments")));
            AmqpQueue queue = v.declareQueue(e.getKey().name(), e.getKey().name().startsWith("amq."), true, false,
                    bool(q, "auto_delete"), arguments, null).queue();
            long storageId = ((Number) q.getOrDefault("storage_id", 0L)).longValue();
            if (storageId == 0) { // a record from before messages were stored: give it an id now
                storageId = lastQueueStorageId.incrementAndGet();
                q.put("storage_id", storageId);
                put(e.getKey(), q);
            }
            queue.attachJournal(new StoredQueueJournal(messages, storageId));
            state.creationIndexes().queueCreated(e.getKey().vhost(), e.getKey().name(), createdIndex(q));
            n++;
        }
        for (Map.Entry<MetaKey, byte[]> e : store.list(BINDING)) {
            if (recoverBinding(state, e.getKey().vhost(), read(e.getValue()))) {
                n++;
            } else {
                delete(e.getKey()); // an end was deleted before this binding's record was written
            }
        }
        state.creationIndexes().onForget(this::dropCreatedIndexes);
        state.users().setListener(this::userChanged);
        state.permissions().setListener(this::permissionChanged);
        state.attachPersistence(this, this::vhostAddedOrDeleted);
        // what existed before persistence was attached (the default vhost, user and permission,
        // definitions imported at start) is written now, so it is on disk too
        state.vhosts().forEach(v -> vhostChanged(v.name(), true));
        state.users().all().forEach(u -> userChanged(u.name(), u));
        state.permissions().all().forEach(this::permissionChanged);
        state.vhosts().forEach(v -> {
            v.policies().forEach(p -> policyChanged(v, p.name(), p));
            v.exchanges().forEach(x -> exchangeAdded(v, x));
            v.queues().forEach(q -> queueAdded(v, q));
        });
        LOG.info("recovered {} durable definitions", n);
    }

    /** The highest queue storage id in use (recovery checks stored messages against the live ids). */
    long lastQueueStorageId() {
        return lastQueueStorageId.get();
    }

    /**
     * Older versions accepted an {@code x-dead-letter-routing-key} longer than 255 bytes, which no delivery can
     * carry (declares refuse it now). A queue stored with one must still come back with its messages, so the
     * argument is dropped (dead letters keep their own routing keys) and the start goes on.
     */
    private static Map<String, Object> withoutUndeliverableKey(MetaKey queue, Map<String, Object> arguments) {
        if (arguments != null && arguments.get("x-dead-letter-routing-key") instanceof String key
                && !io.warren.codec.Wire.fitsShortStr(key)) {
            LOG.warn("queue '{}' in vhost '{}': ignoring its x-dead-letter-routing-key (longer than 255 bytes)",
                    queue.name(), queue.vhost());
            Map<String, Object> copy = new LinkedHashMap<>(arguments);
            copy.remove("x-dead-letter-routing-key");
            return copy;
        }
        return arguments;
    }

    private boolean recoverBinding(BrokerState state, String vhost, Map<String, Object> b) {
        VirtualHost v = state.addVhost(vhost);
        String dest = (String) b.get("destination");
        Map<String, Object> args = ArgumentCodec.decode((String) b.get("arguments"));
        try {
            if (QUEUE.equals(b.get("destination_type"))) {
                v.bind(v.requireQueue(dest), (String) b.get("source"), (String) b.get("routing_key"), args);
            } else {
                v.bindExchange(dest, (String) b.get("source"), (String) b.get("routing_key"), args);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("dropping stored binding {} in vhost '{}': {}", b, vhost, e.getMessage());
            return false;
        }
    }

    // ---- changes ---------------------------------------------------------------------------

    @Override
    public void vhostLimitsChanged(VirtualHost vhost) {
        vhostChanged(vhost.name(), true);
    }

    private void vhostAddedOrDeleted(String name, boolean added) {
        if (added) {
            state.creationIndexes().vhostCreated(name, state.creationIndexes().current());
        } else {
            state.creationIndexes().vhostDeleted(name);
        }
        vhostChanged(name, added);
    }

    private void vhostChanged(String name, boolean added) {
        MetaKey key = new MetaKey(VHOST, name, name);
        if (added) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            putCreatedIndex(m, state == null ? CreationIndexes.UNKNOWN : state.creationIndexes().vhost(name));
            // limits are stored with the vhost (RabbitMQ keeps them as vhost-limits parameters)
            m.put("max_connections", stateVhostLimit(name, true));
            m.put("max_queues", stateVhostLimit(name, false));
            VirtualHost v = state == null ? null : state.vhost(name);
            if (v != null && v.defaultQueueType() != null) {
                m.put("default_queue_type", v.defaultQueueType());
            }
            put(key, m);
        } else {
            delete(key);
            for (String kind : List.of(EXCHANGE, QUEUE, BINDING, PERMISSION, POLICY)) {
                store.list(kind).stream().filter(e -> e.getKey().vhost().equals(name)).forEach(e -> delete(e.getKey()));
            }
        }
    }

    private void userChanged(String name, User user) {
        MetaKey key = new MetaKey(USER, "", name);
        if (user == null) {
            delete(key);
            return;
        }
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("password_hash", user.passwordHash());
        u.put("tags", List.copyOf(user.tags()));
        put(key, u);
    }

    private void permissionChanged(PermissionStore.Entry e) {
        MetaKey key = new MetaKey(PERMISSION, e.vhost(), e.user());
        if (e.permission() == null) {
            delete(key);
        } else {
            put(key, Map.of("configure", e.permission().configure(), "write", e.permission().write(),
                    "read", e.permission().read()));
        }
    }

    @Override
    public void policyChanged(VirtualHost vhost, String name, Policy policy) {
        MetaKey key = new MetaKey(POLICY, vhost.name(), name);
        if (policy == null) {
            delete(key);
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pattern", policy.pattern());
        m.put("apply-to", policy.applyTo());
        m.put("priority", policy.priority());
        m.put("definition", policy.definition());
        put(key, m);
    }

    @Override
    public void exchangeAdded(VirtualHost vhost, Exchange x) {
        if (!x.durable() || x.isDefault() || x.name().startsWith("amq.")) {
            return; // the amq.* exchanges are made anew at every start
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", x.type().wireName());
        m.put("auto_delete", x.autoDelete());
        m.put("internal", x.internal());
        m.put("arguments", ArgumentCodec.encode(x.arguments()));
        put(new MetaKey(EXCHANGE, vhost.name(), x.name()), m);
    }

    @Override
    public void exchangeRemoved(VirtualHost vhost, Exchange x) {
        if (x.durable()) {
            delete(new MetaKey(EXCHANGE, vhost.name(), x.name()));
            deleteBindingsOf(vhost, EXCHANGE, x.name());
        }
    }

    @Override
    public void queueAdded(VirtualHost vhost, AmqpQueue q) {
        long created = state.creationIndexes().current();
        if (!q.exclusive() && created >= 0) { // made by a cluster log entry
            state.creationIndexes().queueCreated(vhost.name(), q.name(), created);
        }
        if (!durable(q) || q.journal().stores()) {
            return; // transient, or recovered (already on disk, with its storage id)
        }
        // storage ids are never reused: a new queue of an old name must not inherit old messages
        long storageId = lastQueueStorageId.incrementAndGet();
        q.attachJournal(new StoredQueueJournal(messages, storageId));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("storage_id", storageId);
        m.put("auto_delete", q.autoDelete());
        m.put("arguments", ArgumentCodec.encode(q.arguments()));
        putCreatedIndex(m, created); // in the same record, so on disk exactly when the queue is
        put(new MetaKey(QUEUE, vhost.name(), q.name()), m);
    }

    @Override
    public void queueRemoved(VirtualHost vhost, AmqpQueue q) {
        if (!q.exclusive()) {
            state.creationIndexes().queueDeleted(vhost.name(), q.name());
        }
        if (durable(q)) {
            delete(new MetaKey(QUEUE, vhost.name(), q.name()));
            deleteBindingsOf(vhost, QUEUE, q.name());
        }
    }

    @Override
    public void bindingAdded(VirtualHost vhost, Exchange source, Destination destination, String key,
                             Map<String, Object> args) {
        if (!durable(source) || !durable(destination)) {
            return;
        }
        Map<String, Object> m = bindingRecord(source, destination, key, args);
        put(bindingKey(vhost, m), m);
    }

    @Override
    public void bindingRemoved(VirtualHost vhost, Exchange source, Destination destination, String key,
                               Map<String, Object> args) {
        delete(bindingKey(vhost, bindingRecord(source, destination, key, args)));
    }

    private static Map<String, Object> bindingRecord(Exchange source, Destination destination, String key,
                                                     Map<String, Object> args) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source.name());
        m.put("destination_type", destination instanceof AmqpQueue ? QUEUE : EXCHANGE);
        m.put("destination", destination.name());
        m.put("routing_key", key);
        m.put("arguments", ArgumentCodec.encode(args));
        return m;
    }

    /** A binding's identity: its ends, key and arguments (RabbitMQ's binding identity). */
    private static MetaKey bindingKey(VirtualHost vhost, Map<String, Object> m) {
        String id = m.get("source") + "\u0000" + m.get("destination_type") + "\u0000" + m.get("destination")
                + "\u0000" + m.get("routing_key") + "\u0000" + m.get("arguments");
        return new MetaKey(BINDING, vhost.name(), id);
    }

    private void deleteBindingsOf(VirtualHost vhost, String kind, String name) {
        for (Map.Entry<MetaKey, byte[]> e : store.list(BINDING)) {
            if (!e.getKey().vhost().equals(vhost.name())) {
                continue;
            }
            Map<String, Object> b = read(e.getValue());
            boolean isDest = kind.equals(b.get("destination_type")) && name.equals(b.get("destination"));
            boolean isSource = EXCHANGE.equals(kind) && name.equals(b.get("source"));
            if (isDest || isSource) {
                delete(e.getKey());
            }
        }
    }

    private static boolean durable(Destination d) {
        return d instanceof AmqpQueue q ? q.durable() && !q.exclusive() : ((Exchange) d).durable() && !((Exchange) d).isDefault();
    }

    // ---- store access ------------------------------------------------------------------------

    private void put(MetaKey key, Map<String, Object> value) {
        store.put(key, json.write(value), DIRECT, failure -> logFailure("write", key, failure));
    }

    private void delete(MetaKey key) {
        store.delete(key, DIRECT, failure -> logFailure("delete", key, failure));
    }

    private static void logFailure(String what, MetaKey key, Throwable failure) {
        if (failure != null) {
            LOG.error("could not {} durable definition {}: {}", what, key, failure.toString());
        }
    }

    private Map<String, Object> read(byte[] bytes) {
        return json.read(bytes);
    }

    private int stateVhostLimit(String vhost, boolean connections) {
        VirtualHost v = state == null ? null : state.vhost(vhost);
        return v == null ? -1 : connections ? v.maxConnections() : v.maxQueues();
    }

    private void dropCreatedIndexes() {
        for (String kind : List.of(VHOST, QUEUE)) {
            for (Map.Entry<MetaKey, byte[]> e : store.list(kind)) {
                Map<String, Object> record = read(e.getValue());
                if (record.remove("created_index") != null) {
                    put(e.getKey(), record);
                }
            }
        }
    }

    /** The cluster log entry that created a stored vhost or queue (none: not made by the cluster log). */
    private static long createdIndex(Map<String, Object> record) {
        return record.get("created_index") instanceof Number n ? n.longValue() : CreationIndexes.UNKNOWN;
    }

    private static void putCreatedIndex(Map<String, Object> record, long index) {
        if (index >= 0) {
            record.put("created_index", index);
        }
    }

    private static int intOr(Map<String, Object> m, String key, int dflt) {
        return m.get(key) instanceof Number n ? n.intValue() : dflt;
    }

    private static boolean bool(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }
}
