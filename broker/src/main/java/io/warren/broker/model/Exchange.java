package io.warren.broker.model;

import io.warren.routing.BindingTable;
import io.warren.routing.BindingTables;
import io.warren.routing.ExchangeType;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An exchange and its bindings. Publishes route concurrently under the read lock; bind/unbind
 * take the write lock (they are rare). The default exchange ("") has no binding table: it routes
 * by queue name.
 */
public final class Exchange implements Destination {
    private final VirtualHost vhost;
    private final String name;
    private final ExchangeType type;
    private final boolean durable;
    private final boolean autoDelete;
    private final boolean internal;
    private final Map<String, Object> arguments;
    private final BindingTable<Destination> bindings;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Policy policy; // null: none applies
    /** RabbitMQ's publish_in (messages published to it) and publish_out (copies routed to queues). */
    private final LongAdder publishIn = new LongAdder();
    private final LongAdder publishOut = new LongAdder();

    Exchange(VirtualHost vhost, String name, ExchangeType type, boolean durable, boolean autoDelete,
             boolean internal, Map<String, Object> arguments) {
        this.vhost = vhost;
        this.name = name;
        this.type = type;
        this.durable = durable;
        this.autoDelete = autoDelete;
        this.internal = internal;
        this.arguments = arguments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        this.bindings = BindingTables.create(type);
    }

    public String name() {
        return name;
    }

    public ExchangeType type() {
        return type;
    }

    public boolean durable() {
        return durable;
    }

    public boolean autoDelete() {
        return autoDelete;
    }

    public boolean internal() {
        return internal;
    }

    public Map<String, Object> arguments() {
        return arguments;
    }

    /** Counts one message published to this exchange that was routed to {@code queues} queues. */
    public void countPublish(int queues) {
        publishIn.increment();
        publishOut.add(queues);
    }

    public long publishIn() {
        return publishIn.sum();
    }

    public long publishOut() {
        return publishOut.sum();
    }

    /**
     * The exchange named by the {@code alternate-exchange} argument (a string), looked up now so an
     * alternate declared later or deleted meanwhile is honoured; null if none.
     */
    public Exchange alternateExchange() {
        Object name = arguments.get("alternate-exchange");
        if (name == null) {
            // rabbit_policy:get_arg: the exchange's own argument wins over its policy's
            Policy p = policy;
            name = p == null ? null : p.get("alternate-exchange");
            if (name == null) {
                return null;
            }
        }
        String n = name instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : name.toString();
        return vhost.exchange(n);
    }

    /** The policy that applies to this exchange, or null. */
    public Policy policy() {
        return policy;
    }

    void policy(Policy p) {
        this.policy = p;
    }

    public boolean isDefault() {
        return name.isEmpty();
    }

    /**
     * Adds this exchange's matching destinations (each at most once) to {@code out}; exchanges
     * among them are followed by {@link Router}.
     */
    public void route(String routingKey, Map<String, Object> headers, Collection<? super Destination> out) {
        if (isDefault()) {
            AmqpQueue q = vhost.queue(routingKey);
            if (q != null) {
                out.add(q);
            }
            return;
        }
        lock.readLock().lock();
        try {
            bindings.route(routingKey, headers, out);
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean bind(String key, Map<String, Object> args, Destination q) {
        lock.writeLock().lock();
        try {
            return bindings.add(key, args, q);
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean unbind(String key, Map<String, Object> args, Destination q) {
        lock.writeLock().lock();
        try {
            return bindings.remove(key, args, q);
        } finally {
            lock.writeLock().unlock();
        }
    }

    int unbindAll(Destination q) {
        lock.writeLock().lock();
        try {
            return bindings.removeDestination(q);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean hasBindings() {
        lock.readLock().lock();
        try {
            return bindings.hasBindings();
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<io.warren.routing.Binding<Destination>> bindings() {
        lock.readLock().lock();
        try {
            return bindings.bindings();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "exchange '" + name + "' in vhost '" + vhost.name() + "'";
    }
}
