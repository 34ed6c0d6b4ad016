package io.warren.broker.model;

import io.warren.broker.error.ChannelException;

import java.util.Map;

/**
 * What a queue of any type is as declared: its vhost, name, flags, x-arguments and exclusive owner, and
 * the access checks they imply. Immutable, so read without a lock; the type's state lives in the subclass
 * (the classic {@link Queue}, quorum, stream and a queue homed on another node alike).
 */
public abstract class DeclaredQueue implements AmqpQueue {
    protected final VirtualHost vhost;
    protected final String name;
    protected final boolean durable;
    protected final boolean exclusive;
    protected final boolean autoDelete;
    protected final Map<String, Object> arguments;
    protected final Object exclusiveOwner;
    private final QueueType type;       // from x-queue-type; a subclass that knows better overrides type()

    protected DeclaredQueue(VirtualHost vhost, String name, boolean durable, boolean exclusive, boolean autoDelete,
                  Map<String, Object> arguments, Object exclusiveOwner) {
        this.vhost = vhost;
        this.name = name;
        this.durable = durable;
        this.exclusive = exclusive;
        this.autoDelete = autoDelete;
        this.arguments = arguments == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
        this.exclusiveOwner = exclusiveOwner;
        this.type = QueueType.of(this.arguments);
    }

    @Override
    public QueueType type() {
        return type;
    }

    @Override
    public VirtualHost vhost() {
        return vhost;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean durable() {
        return durable;
    }

    @Override
    public boolean exclusive() {
        return exclusive;
    }

    @Override
    public boolean autoDelete() {
        return autoDelete;
    }

    @Override
    public Map<String, Object> arguments() {
        return arguments;
    }

    @Override
    public Object exclusiveOwner() {
        return exclusiveOwner;
    }

    /** 405 if this queue is exclusive to another connection. */
    @Override
    public void checkAccess(Object connection) {
        if (exclusive) {
            checkDeclaredOwner(connection);
        }
    }

    /**
     * RabbitMQ's strict check on redeclare: the owner the declare asks for (its connection if exclusive, else
     * none) must be this queue's, so a different exclusive flag is 405 from any connection.
     */
    @Override
    public void checkDeclaredOwner(Object owner) {
        if (exclusiveOwner != owner) {
            throw ChannelException.queueLocked(name, vhost.name());
        }
    }

    @Override
    public String toString() {
        return "queue '" + name + "' in vhost '" + vhost.name() + "'";
    }
}
