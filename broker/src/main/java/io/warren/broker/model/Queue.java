package io.warren.broker.model;

import io.warren.broker.error.ChannelException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One queue: its ready messages, its consumers and the count of messages out for acknowledgement.
 * All state is guarded by the queue's own monitor. Enqueue and the delivery decisions made under
 * it run in queue order; a delivery to a consumer on another event loop is handed over with
 * {@code execute()}, which keeps that order. Nothing under this lock blocks or calls out to other
 * queues, so there is no lock-ordering hazard.
 */
public final class Queue implements Destination {
    private final VirtualHost vhost;
    private final String name;
    private final boolean durable;
    private final boolean exclusive;
    private final boolean autoDelete;
    private final Map<String, Object> arguments;
    private final Object exclusiveOwner;

    private final ReadyList ready = new ReadyList();
    private final List<QueueConsumer> consumers = new ArrayList<>();
    private final boolean singleActiveConsumer;
    private long nextSeq;
    private int unacked;
    private boolean deleted;
    private long published;   // enqueued since declare (management stats)
    private long delivered;   // handed to consumers or basic.get since declare

    Queue(VirtualHost vhost, String name, boolean durable, boolean exclusive, boolean autoDelete,
          Map<String, Object> arguments, Object exclusiveOwner) {
        this.vhost = vhost;
        this.name = name;
        this.durable = durable;
        this.exclusive = exclusive;
        this.autoDelete = autoDelete;
        this.arguments = arguments == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
        this.exclusiveOwner = exclusiveOwner;
        this.singleActiveConsumer = Boolean.TRUE.equals(this.arguments.get("x-single-active-consumer"));
    }

    public VirtualHost vhost() {
        return vhost;
    }

    public String name() {
        return name;
    }

    public boolean durable() {
        return durable;
    }

    public boolean exclusive() {
        return exclusive;
    }

    public boolean autoDelete() {
        return autoDelete;
    }

    public Map<String, Object> arguments() {
        return arguments;
    }

    public Object exclusiveOwner() {
        return exclusiveOwner;
    }

    /** 405 if this queue is exclusive to another connection. */
    public void checkAccess(Object connection) {
        if (exclusive && exclusiveOwner != connection) {
            throw ChannelException.resourceLocked("cannot obtain exclusive access to locked queue '" + name
                    + "' in vhost '" + vhost.name() + "'. It could be originally declared on another connection"
                    + " or the exclusive property value does not match that of the original declaration.");
        }
    }

    public synchronized boolean isDeleted() {
        return deleted;
    }

    public synchronized int readyCount() {
        return ready.size();
    }

    public synchronized int unackedCount() {
        return unacked;
    }

    public synchronized int consumerCount() {
        return consumers.size();
    }

    /** The counts the management API shows, read under one lock so they agree with each other. */
    public record Stats(int ready, int unacked, int consumers, long readyBytes, long published, long delivered) {
    }

    public synchronized Stats stats() {
        return new Stats(ready.size(), unacked, consumers.size(), ready.bytes(), published, delivered);
    }

    /** Appends a routed message and delivers what it can. */
    public synchronized void enqueue(Message message) {
        if (deleted) {
            return;
        }
        ready.append(new QueueEntry(message, nextSeq++));
        published++;
        dispatch();
    }

    /** basic.get: the next ready message, or null. For acked gets the entry counts as unacked. */
    public synchronized QueueEntry get(boolean noAck) {
        QueueEntry e = ready.poll();
        if (e != null && !noAck) {
            unacked++;
        }
        if (e != null) {
            delivered++;
        }
        return e;
    }

    public synchronized void addConsumer(QueueConsumer consumer) {
        if (deleted) {
            throw ChannelException.noQueue(name, vhost.name());
        }
        boolean exclusiveInUse = !consumers.isEmpty() && (consumer.exclusive() || consumers.get(0).exclusive());
        if (exclusiveInUse) {
            throw ChannelException.accessRefused("queue '" + name + "' in vhost '" + vhost.name()
                    + "' in exclusive use");
        }
        if (singleActiveConsumer) {
            consumers.add(consumer); // registration order: the first is active, the next takes over
        } else {
            insertByPriority(consumer);
        }
    }

    /** After the last consumer of the same or higher priority, so equal priorities rotate fairly. */
    private void insertByPriority(QueueConsumer consumer) {
        int i = consumers.size();
        while (i > 0 && consumers.get(i - 1).priority() < consumer.priority()) {
            i--;
        }
        consumers.add(i, consumer);
    }

    /** Removes a consumer; an auto-delete queue goes when its last consumer does. */
    public void removeConsumer(QueueConsumer consumer) {
        boolean deleteNow;
        synchronized (this) {
            if (!consumers.remove(consumer)) {
                return;
            }
            deleteNow = autoDelete && consumers.isEmpty() && !deleted;
        }
        if (deleteNow) {
            vhost.deleteQueue(this, false, false);
        }
    }

    /** Settles deliveries that were acked (or rejected without requeue). */
    public synchronized void settle(int count) {
        unacked -= count;
    }

    /** Puts delivered-but-unacked messages back at their original positions, marked redelivered. */
    public synchronized void requeue(Collection<QueueEntry> entries) {
        if (deleted) {
            return;
        }
        for (QueueEntry e : entries) {
            e.markRedelivered();
            ready.requeue(e);
        }
        unacked -= entries.size();
        dispatch();
    }

    /** Try to deliver again, e.g. after a consumer got credit back or became writable. */
    public synchronized void dispatch() {
        int n = consumers.size();
        while (n > 0 && !ready.isEmpty()) {
            QueueConsumer c = nextWithCredit(n);
            if (c == null) {
                return;
            }
            QueueEntry e = ready.poll();
            if (!c.noAck()) {
                unacked++;
            }
            delivered++;
            c.deliver(this, e);
        }
    }

    /**
     * The consumer for the next message: the first in priority order with credit. The chosen one
     * moves behind the others of its priority, which makes round-robin exact among equals. With
     * single active consumer only the first registered consumer ever receives.
     */
    private QueueConsumer nextWithCredit(int n) {
        if (singleActiveConsumer) {
            QueueConsumer active = consumers.get(0);
            return active.tryReserve() ? active : null;
        }
        for (int i = 0; i < n; i++) {
            QueueConsumer c = consumers.get(i);
            if (c.tryReserve()) {
                rotate(i, c);
                return c;
            }
        }
        return null;
    }

    private void rotate(int i, QueueConsumer c) {
        int end = i + 1;
        while (end < consumers.size() && consumers.get(end).priority() == c.priority()) {
            end++;
        }
        if (end - 1 > i) {
            consumers.remove(i);
            consumers.add(end - 1, c);
        }
    }

    public synchronized int purge() {
        return ready.clear();
    }

    /** Marks deleted and returns the consumers to notify plus the number of ready messages dropped. */
    synchronized DeleteResult markDeleted() {
        deleted = true;
        List<QueueConsumer> cs = new ArrayList<>(consumers);
        consumers.clear();
        int count = ready.clear();
        return new DeleteResult(count, cs);
    }

    record DeleteResult(int messageCount, List<QueueConsumer> consumers) {
    }

    @Override
    public String toString() {
        return "queue '" + name + "' in vhost '" + vhost.name() + "'";
    }
}
