package io.warren.broker.model;

import io.warren.broker.error.ChannelException;

import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One queue: its ready messages, its consumers and the count of messages out for acknowledgement.
 * All state is guarded by the queue's own monitor, and nothing but the queue's own state is touched
 * under it: no channel, no other queue. Under the lock the queue picks (consumer, message) pairs, in
 * queue order; {@link DeliveryHandOff} hands them to the consumers' channels after the lock is released,
 * keeping that order. Dead letters (rejected, expired, dropped by the length limit) are collected under
 * the lock and published to the DLX after it is released, and a publisher held back by credit flow
 * ({@link QueueFlow}) is woken after it too, so there is no lock-ordering hazard between queues.
 *
 * <p>The x-arguments ({@link QueueArguments}) add message TTL ({@link MessageExpiry}), unused-queue
 * expiry ({@link QueueExpiry}), dead-lettering ({@link DeadLetterer}), length limits and priorities
 * ({@link PriorityReadyList}). Their timers run on the event loop of the channel that declared the
 * queue. An expired message is never handed out: the timer removes it wherever it is, and the head
 * is checked again whenever a message is about to be delivered.
 */
public final class Queue extends DeclaredQueue {
    private final QueueArguments args;
    private final ReadyMessages ready;
    private final ConsumerList consumers;
    private final MessageExpiry expiry;
    private final EventExecutor loop;           // where this queue's timers run
    private EffectiveQueueSettings effective;   // arguments + policy; replaced when the policy changes
    private volatile Policy policy;             // null: none applies
    private QueueExpiry unusedExpiry;           // x-expires; QueueExpiry.NONE without
    private volatile DeadLetterer deadLetterer; // null without a dead-letter exchange
    private final DeadLetterOutbox outbox = new DeadLetterOutbox(this); // dead letters, published after the lock
    private final DeliveryHandOff handOff;      // picked deliveries, handed to consumers after the lock
    private final QueueFlow flow = new QueueFlow();
    private long nextSeq;
    // out for acknowledgement; atomic so that an ack of a queue that stores nothing takes no lock (settle)
    private final java.util.concurrent.atomic.AtomicInteger unacked = new java.util.concurrent.atomic.AtomicInteger();
    private boolean deleted;
    private long published;   // enqueued since declare (management stats)
    private long delivered;   // handed to consumers or basic.get since declare
    private volatile QueueJournal journal = QueueJournal.NONE; // durable queues: where persistent messages are recorded

    Queue(VirtualHost vhost, String name, boolean durable, boolean exclusive, boolean autoDelete,
          Map<String, Object> arguments, Object exclusiveOwner, Policy policy) {
        super(vhost, name, durable, exclusive, autoDelete, arguments, exclusiveOwner);
        this.args = QueueArguments.parse(this.arguments, toString()); // 406 before the queue exists
        this.consumers = new ConsumerList(args.singleActiveConsumer());
        this.ready = ReadyMessages.forQueue(args.maxPriority(), durable, this::pagedOut);
        this.loop = QueueTimer.loopIn(vhost.loops());
        this.handOff = new DeliveryHandOff(this, loop);
        this.policy = policy;
        this.effective = EffectiveQueueSettings.of(args, this.arguments, policy);
        this.expiry = new MessageExpiry(effective.messageTtl(), loop, this::onMessageTimer);
        this.deadLetterer = newDeadLetterer(effective);
        this.unusedExpiry = QueueExpiry.start(effective.expires(), loop, this::onUnusedTimer, false);
    }

    private DeadLetterer newDeadLetterer(EffectiveQueueSettings s) {
        return s.deadLetterExchange() == null ? null
                : new DeadLetterer(vhost, name, s.deadLetterExchange(), s.deadLetterRoutingKey());
    }

    @Override
    public Policy policy() {
        return policy;
    }

    /**
     * A policy was set, changed or cleared: from now on the queue runs with the new effective
     * settings, as a RabbitMQ queue re-reads its policy. Messages already queued keep the expiry
     * they got at enqueue (RabbitMQ fixes it then too, observed on 3.10.8); a lower length limit
     * drops heads now. RabbitMQ applies max-length before overflow, so heads are dropped if the old
     * or the new overflow is drop-head. The returned task publishes the dead letters; the caller
     * runs it after releasing its own locks.
     */
    @Override
    public Runnable applyPolicy(Policy p) {
        List<DeadLetterer.DeadLetter> dead;
        synchronized (this) {
            policy = p;
            if (deleted) {
                return () -> { };
            }
            EffectiveQueueSettings old = effective;
            effective = EffectiveQueueSettings.of(args, arguments, p);
            expiry.queueTtl(effective.messageTtl());
            if (!java.util.Objects.equals(old.deadLetterExchange(), effective.deadLetterExchange())
                    || !java.util.Objects.equals(old.deadLetterRoutingKey(), effective.deadLetterRoutingKey())) {
                deadLetterer = newDeadLetterer(effective);
            }
            if (old.expires() != effective.expires()) {
                unusedExpiry.cancel();
                unusedExpiry = QueueExpiry.start(effective.expires(), loop, this::onUnusedTimer,
                        !consumers.isEmpty()); // RabbitMQ restarts the countdown too
            }
            if (effective.hasLengthLimit() && (old.overflow() == QueueArguments.Overflow.DROP_HEAD
                    || effective.overflow() == QueueArguments.Overflow.DROP_HEAD)) {
                dropHeadOverLimit();
            }
            dead = endLocked();
        }
        return () -> afterUnlock(dead);
    }

    @Override
    public synchronized void attachJournal(QueueJournal journal) {
        this.journal = journal;
    }

    @Override
    public QueueJournal journal() {
        return journal;
    }

    /** A ready entry left the heap: the paged run watches its expiry from now on. */
    private void pagedOut(QueueEntry e) {
        expiry.untrack(e);
    }

    /** The store has written some of this queue's messages: those may leave the heap now. */
    public synchronized void pageOut() {
        if (!deleted) {
            ready.pageOut();
        }
    }

    /**
     * Recovery: puts a stored message back at the tail, its body left on disk, without delivering or
     * recording it. Once the head window is full it goes straight into the paged run without an entry
     * or message object (a restart with a deep backlog makes a few primitives per message); pass the
     * same strings and property array for equal metadata so they are shared.
     */
    public synchronized void restoreOnDisk(String exchange, String routingKey, byte[] rawProperties, int bodySize,
                                           long storeId, long location, long publishedAt, boolean redelivered,
                                           BodyReader reader) {
        if (ready instanceof PagedReadyList p && p.appendRestored(exchange, routingKey, rawProperties, bodySize,
                storeId, location, nextSeq, redelivered, expiry.expiresAt(lastRestoredTtl, publishedAt))) {
            nextSeq++;
            return;
        }
        Message m = Message.onDisk(exchange, routingKey, rawProperties, bodySize, storeId, location, reader);
        m.publishedAt(publishedAt);
        lastRestoredTtl = MessageExpiry.messageTtl(m);
        QueueEntry e = new QueueEntry(m, nextSeq++);
        if (redelivered) {
            e.markRedelivered();
        }
        if (args.maxPriority() > 0) {
            e.priorityFromProperties();
        }
        e.expiresAt(expiry.expiresAt(lastRestoredTtl, publishedAt)); // the TTL kept running while down
        expiry.track(e); // before append: an entry paged at once leaves the index again
        ready.append(e);
    }

    private long lastRestoredTtl = -1; // the per-message TTL of the last restoreOnDisk's properties

    /**
     * Recovery is done: messages whose TTL ran out while the broker was down are dead-lettered (or
     * dropped) now, and the TTL timer is armed for the rest.
     */
    public void restored() {
        List<DeadLetterer.DeadLetter> dead;
        synchronized (this) {
            expireDue();
            dead = endLocked();
        }
        afterUnlock(dead);
    }

    /**
     * Settles in the store what leaves the queue without acknowledgement. A stored message's settle
     * waits until its content was written ({@link QueueEntry#settleAfterRead}): its body may be only on
     * disk (paged, or evicted meanwhile), and the store may delete a file as soon as everything in it
     * is settled.
     */
    private void settleOnHandOver(QueueEntry e) {
        if (journal.stores() && e.message().storeId() != 0) {
            e.settleAfterRead(true);
        } else {
            journal.settled(e);
        }
    }

    /** The channel read the body of a no-ack delivery: now the store may forget the message. */
    @Override
    public void settleAfterRead(QueueEntry e) {
        QueueJournal j;
        synchronized (this) {
            j = deleted ? QueueJournal.NONE : journal;
        }
        j.settled(e); // hands the write off: no lock needed
    }

    /** Settles {@code e} and dead-letters it; a stored body is read for the dead letter before the settle. */
    private void settleAndDeadLetter(QueueEntry e, String reason) {
        if (deadLetterer != null && journal.stores() && e.message().storeId() != 0) {
            outbox.add(new DeadLetterer.DeadLetter(e.message(), reason, e));
        } else {
            journal.settled(e);
            deadLetter(e.message(), reason);
        }
    }

    /** The declared x-arguments, parsed (a policy may override some: see {@link EffectiveQueueSettings}). */
    public QueueArguments settings() {
        return args;
    }

    @Override
    public synchronized boolean isDeleted() {
        return deleted;
    }

    @Override
    public synchronized int readyCount() {
        return ready.size();
    }

    @Override
    public int unackedCount() {
        return unacked.get();
    }

    @Override
    public synchronized int consumerCount() {
        return consumers.size();
    }

    /** The counts the management API shows, read under one lock so they agree with each other. */
    @Override
    public synchronized QueueStats stats() {
        return new QueueStats(ready.size(), unacked.get(), consumers.size(), ready.bytes(), published, delivered,
                ready.pagedCount(), ready.pagedBytes());
    }

    /**
     * Takes a routed message: straight to a waiting consumer if the queue is empty (so even a TTL-0
     * message can be delivered), else appended; then the length limit and TTL apply. False if the
     * queue refused it (x-overflow reject-publish / reject-publish-dlx): the publisher is nacked.
     */
    @Override
    public boolean enqueue(Message message, ConfirmWait confirm) { // the message store confirms stored copies
        boolean accepted;
        List<DeadLetterer.DeadLetter> dead;
        synchronized (this) {
            accepted = enqueueLocked(message);
            dead = endLocked();
        }
        afterUnlock(dead);
        return accepted;
    }

    private boolean enqueueLocked(Message message) {
        if (deleted) {
            return true; // (its store record, if any, goes with the queue's DeleteQueue)
        }
        // RabbitMQ checks the limit before trying a consumer, so a full queue refuses even then
        if (effective.overflow() != QueueArguments.Overflow.DROP_HEAD
                && effective.overLimit(ready.size() + 1, ready.bytes() + message.bodySize())) {
            if (effective.overflow() == QueueArguments.Overflow.REJECT_PUBLISH_DLX) {
                deadLetter(message, DeadLetterer.MAXLEN);
            }
            journal.settled(new QueueEntry(message, -1)); // stored for this queue (if stored at all), refused by it
            return false;
        }
        QueueEntry e = new QueueEntry(message, nextSeq++);
        published++;
        if (args.maxPriority() > 0) {
            e.priorityFromProperties();
        }
        e.expiresAt(expiry.expiresAt(message));
        if (ready.isEmpty() && !consumers.isEmpty()) {
            QueueConsumer c = consumers.nextWithCredit();
            if (c != null) {
                hand(c, e);
                return true;
            }
        }
        expiry.track(e); // before append: an entry paged at once leaves the index again
        ready.append(e);
        if (effective.hasLengthLimit()) {
            dropHeadOverLimit();
        }
        dispatchLocked();
        flow.grew(ready.size(), ready.bytes(), !consumers.isEmpty());
        if (e.expiresAt() != QueueEntry.NO_EXPIRY) {
            expireDue(); // a TTL-0 message that found no consumer goes now; else the timer is armed
        }
        return true;
    }

    /** x-overflow drop-head: the oldest ready messages go (dead-lettered as maxlen with a DLX). */
    private void dropHeadOverLimit() {
        while (effective.overLimit(ready.size(), ready.bytes())) {
            QueueEntry head = ready.poll();
            expiry.untrack(head);
            settleAndDeadLetter(head, DeadLetterer.MAXLEN);
        }
    }

    /** basic.get: the next ready message, or null. For acked gets the entry counts as unacked. */
    @Override
    public QueueEntry get(boolean noAck) {
        QueueEntry e;
        List<DeadLetterer.DeadLetter> dead;
        synchronized (this) {
            markUsedLocked();
            e = peekLive();
            if (e != null) {
                takeHead(e);
                handedOut(e, noAck);
            }
            dead = endLocked();
        }
        afterUnlock(dead);
        return e;
    }

    /** Declare (passive too) counts as use for x-expires. */
    @Override
    public synchronized void markUsed() {
        markUsedLocked();
    }

    private void markUsedLocked() {
        unusedExpiry.used(MessageExpiry.now());
    }

    @Override
    public synchronized void addConsumer(QueueConsumer consumer) {
        if (deleted) {
            throw ChannelException.noQueue(name, vhost.name());
        }
        if (consumers.exclusiveConflict(consumer)) {
            throw ChannelException.accessRefused("queue '" + name + "' in vhost '" + vhost.name()
                    + "' in exclusive use");
        }
        consumers.add(consumer);
        markUsedLocked();
    }

    /** Removes a consumer; an auto-delete queue goes when its last consumer does. */
    @Override
    public void removeConsumer(QueueConsumer consumer) {
        boolean deleteNow;
        synchronized (this) {
            if (!consumers.remove(consumer)) {
                return;
            }
            deleteNow = autoDelete && consumers.isEmpty() && !deleted;
            if (consumers.isEmpty() && !deleted) {
                unusedExpiry.lastConsumerGone(MessageExpiry.now()); // the x-expires countdown starts now
            }
            flow.check(ready.size(), ready.bytes(), !consumers.isEmpty());
        }
        flow.wakeIfClear();
        if (deleteNow) {
            vhost.deleteUnusedQueue(this, false);
        }
    }

    /**
     * Settles acked deliveries, recording them for a durable queue. Without a store there is nothing to
     * record: the ack takes no lock, so it never waits for a publisher.
     */
    @Override
    public void settle(List<QueueEntry> entries) {
        unacked.addAndGet(-entries.size());
        if (journal.stores()) {
            synchronized (this) {
                if (!deleted) {
                    journal.settled(entries);
                }
            }
        }
    }

    /** Settles deliveries rejected or nacked without requeue: dead-lettered (reason rejected) with a DLX. */
    @Override
    public void reject(List<QueueEntry> entries) {
        List<DeadLetterer.DeadLetter> dead;
        synchronized (this) {
            unacked.addAndGet(-entries.size());
            if (deadLetterer != null && !deleted) {
                for (QueueEntry e : entries) {
                    settleAndDeadLetter(e, DeadLetterer.REJECTED);
                }
            } else if (!deleted) {
                journal.settled(entries);
            }
            dead = endLocked();
        }
        afterUnlock(dead);
    }

    /**
     * Puts delivered-but-unacked messages back at their original positions, marked redelivered.
     * They keep their expiry time: one that passed meanwhile is dead-lettered, not delivered.
     * Then drop-head trims the queue to its length limit again (RabbitMQ's requeue_and_run).
     */
    @Override
    public void requeue(Collection<QueueEntry> entries) {
        List<DeadLetterer.DeadLetter> dead;
        synchronized (this) {
            if (deleted) {
                return;
            }
            for (QueueEntry e : entries) {
                e.markRedelivered();
                ready.requeue(e);
                expiry.track(e);
            }
            unacked.addAndGet(-entries.size());
            if (effective.overflow() == QueueArguments.Overflow.DROP_HEAD) {
                dropHeadOverLimit();
            }
            dispatchLocked();
            expireDue();
            dead = endLocked();
        }
        afterUnlock(dead);
    }

    /** Try to deliver again, e.g. after a consumer got credit back or became writable. */
    @Override
    public void dispatch() {
        List<DeadLetterer.DeadLetter> dead;
        synchronized (this) {
            dispatchLocked();
            dead = endLocked();
        }
        afterUnlock(dead);
    }

    private void dispatchLocked() {
        while (!consumers.isEmpty()) {
            QueueEntry e = peekLive();
            if (e == null) {
                return;
            }
            QueueConsumer c = consumers.nextWithCredit();
            if (c == null) {
                return;
            }
            takeHead(e);
            hand(c, e);
        }
    }

    /** Under the lock: {@code e} goes to {@code c}, which reserved room for it; handed over after the lock. */
    private void hand(QueueConsumer c, QueueEntry e) {
        handedOut(e, c.noAck());
        c.reserved(e);
        handOff.add(c, e);
    }

    /** Counts an entry that left the queue for a consumer or basic.get: unacked, or settled if no-ack. */
    private void handedOut(QueueEntry e, boolean noAck) {
        if (!noAck) {
            unacked.incrementAndGet();
            if (!e.redelivered()) {
                journal.delivered(e);
            }
        } else {
            settleOnHandOver(e);
        }
        delivered++;
    }

    /** The next ready entry, after dead-lettering any at the head whose time has passed. */
    private QueueEntry peekLive() {
        QueueEntry e = ready.peek();
        while (e != null && e.expiresAt() != QueueEntry.NO_EXPIRY && e.expiresAt() <= MessageExpiry.now()) {
            takeHead(e);
            settleAndDeadLetter(e, DeadLetterer.EXPIRED);
            e = ready.peek();
        }
        return e;
    }

    /** Removes the entry {@link #peekLive} returned. */
    private void takeHead(QueueEntry e) {
        ready.poll();
        expiry.untrack(e);
    }

    /** Dead-letters every ready message whose time has passed, wherever it is; re-arms the timer. */
    private void expireDue() {
        long now = MessageExpiry.now();
        QueueEntry e;
        while ((e = expiry.pollDue(now, ready)) != null) {
            settleAndDeadLetter(e, DeadLetterer.EXPIRED);
        }
        expiry.schedule(now, ready.nextPagedExpiry());
    }

    /** Test hook: how often the message TTL timer has run. */
    synchronized long messageTimerFirings() {
        return expiry.firings();
    }

    private void onMessageTimer() {
        List<DeadLetterer.DeadLetter> dead;
        synchronized (this) {
            expiry.fired();
            if (deleted) {
                return;
            }
            expireDue();
            dead = endLocked();
        }
        afterUnlock(dead);
    }

    private void onUnusedTimer() {
        synchronized (this) {
            if (deleted || !unusedExpiry.fired(MessageExpiry.now(), !consumers.isEmpty())) {
                return;
            }
        }
        try {
            vhost.deleteUnusedQueue(this, true); // if-unused: a consumer that just arrived keeps it
        } catch (ChannelException inUse) {
            // used again meanwhile; its last consumer re-arms the timer
        }
    }

    private void deadLetter(Message m, String reason) {
        if (deadLetterer != null) {
            outbox.add(new DeadLetterer.DeadLetter(m, reason));
        }
    }

    /** The end of a critical section: credit flow looks at the queue's size; returns the dead letters made. */
    private List<DeadLetterer.DeadLetter> endLocked() {
        flow.check(ready.size(), ready.bytes(), !consumers.isEmpty());
        return outbox.take();
    }

    /**
     * After the lock is released: the picked deliveries go to their consumers (in pick order), the dead
     * letters to their exchange, and publishers waiting for this queue to drain are woken.
     */
    private void afterUnlock(List<DeadLetterer.DeadLetter> dead) {
        handOff.drain();
        outbox.publish(dead, deadLetterer);
        flow.wakeIfClear();
    }

    @Override
    public QueueFlow flow() {
        return flow;
    }

    @Override
    public int purge() {
        int count;
        synchronized (this) {
            count = purgeLocked();
            flow.check(ready.size(), ready.bytes(), !consumers.isEmpty());
        }
        flow.wakeIfClear();
        return count;
    }

    private int purgeLocked() {
        expiry.clear();
        if (!journal.stores()) {
            return ready.clear();
        }
        List<QueueEntry> gone = new ArrayList<>(ready.size());
        for (QueueEntry e = ready.poll(); e != null; e = ready.poll()) {
            gone.add(e);
        }
        journal.settled(gone);
        return gone.size();
    }

    /** Marks deleted and returns the consumers to notify plus the number of ready messages dropped. */
    @Override
    public DeleteResult markDeleted() {
        DeleteResult result;
        synchronized (this) {
            deleted = true;
            expiry.cancel();
            unusedExpiry.cancel();
            List<QueueConsumer> cs = consumers.drain();
            int count = ready.clear();
            journal.deleted();
            flow.check(0, 0, false);
            result = new DeleteResult(count, cs);
        }
        flow.wakeIfClear(); // its publishers go on (their messages go nowhere now)
        return result;
    }
}
