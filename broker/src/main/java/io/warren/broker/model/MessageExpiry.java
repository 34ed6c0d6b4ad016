package io.warren.broker.model;

import io.netty.util.concurrent.EventExecutor;

/**
 * Message TTL of one queue: the queue's {@code x-message-ttl} and each message's {@code expiration}
 * property, the lower winning. Expiry times are absolute (epoch ms) and fixed at enqueue, so a
 * requeued message keeps its original deadline. Ready messages that can expire sit in an
 * {@link ExpiryIndex}; one {@link QueueTimer} fires at the earliest deadline. Used under the
 * owning queue's lock.
 */
final class MessageExpiry {
    private static final int EXPIRATION_FLAG = 1 << 8;
    /**
     * How long after the earliest deadline the timer fires. The queue also dead-letters what is due whenever
     * a publish or a requeue reaches it ({@link Queue}), so under a steady stream of messages with a TTL
     * published on the queue's event loop the publishes expire the messages before them and the timer,
     * moved along each time ({@link QueueTimer#runAt}), does not fire: one wake-up of the loop per message
     * instead of two (scenario e of bench/README.md, 1,000 msg/s: 12% less CPU per message, the same lag).
     * A message nothing else comes by for expires this much later than its TTL; RabbitMQ promises nothing
     * tighter (it expires messages when they reach the head of the queue).
     */
    static final long TIMER_SLACK_MS = 2;

    private long queueTtl; // -1: none; a policy may change it (for messages enqueued afterwards)
    private final ExpiryIndex index = new ExpiryIndex();
    private final QueueTimer timer;
    private long firings;

    MessageExpiry(long queueTtl, EventExecutor loop, Runnable onTimer) {
        this.queueTtl = queueTtl;
        this.timer = new QueueTimer(loop, onTimer);
    }

    void queueTtl(long ttl) {
        this.queueTtl = ttl;
    }

    static long now() {
        return System.currentTimeMillis();
    }

    /** When {@code m}, enqueued now, expires; {@link QueueEntry#NO_EXPIRY} if no TTL applies. */
    long expiresAt(Message m) {
        return expiresAt(m, now());
    }

    /** When {@code m}, enqueued at {@code enqueuedAt} (epoch ms), expires. */
    long expiresAt(Message m, long enqueuedAt) {
        return expiresAt(messageTtl(m), enqueuedAt);
    }

    /** When a message with its own TTL {@code own} (-1: none), enqueued at {@code enqueuedAt}, expires. */
    long expiresAt(long own, long enqueuedAt) {
        long ttl = queueTtl;
        if (own >= 0 && (ttl < 0 || own < ttl)) {
            ttl = own;
        }
        if (ttl < 0) {
            return QueueEntry.NO_EXPIRY;
        }
        // the clock has millisecond steps: one more makes sure a message lives at least its TTL (0 stays 0)
        return enqueuedAt + ttl + (ttl > 0 ? 1 : 0);
    }

    /** The per-message TTL from the {@code expiration} property, -1 if absent (decoded only if present). */
    static long messageTtl(Message m) {
        byte[] raw = m.rawProperties();
        if (raw.length < 2 || ((((raw[0] & 0xFF) << 8) | (raw[1] & 0xFF)) & EXPIRATION_FLAG) == 0) {
            return -1;
        }
        String expiration = m.properties().expiration();
        try {
            return expiration == null ? -1 : Math.max(0, Long.parseLong(expiration)); // checked at publish
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A ready entry that can expire joins the index. */
    void track(QueueEntry e) {
        if (e.expiresAt() != QueueEntry.NO_EXPIRY) {
            index.add(e);
        }
    }

    /** The entry left the ready list (delivered, dropped). */
    void untrack(QueueEntry e) {
        if (e.heapIndex >= 0) {
            index.remove(e);
        }
    }

    /**
     * Takes the next ready message whose time has passed out of {@code ready}, or returns null. Whole
     * messages (in the index) and paged ones (at the paged fronts) are merged into queue order.
     */
    QueueEntry pollDue(long now, ReadyMessages ready) {
        QueueEntry whole = index.peekExpired(now);
        long pagedSeq = ready.pagedExpiredSeq(now);
        if (whole != null && whole.seq() < pagedSeq) {
            index.pollExpired(now);
            ready.remove(whole);
            return whole;
        }
        return pagedSeq != Long.MAX_VALUE ? ready.pollPagedExpired(now) : null;
    }

    /**
     * Arms the timer {@link #TIMER_SLACK_MS} after the earliest deadline still in the index, or after
     * {@code paged} if earlier, moving it later too when what was due has gone.
     */
    void schedule(long now, long paged) {
        long next = Math.min(index.nextExpiry(), paged);
        if (next != QueueEntry.NO_EXPIRY) {
            timer.runAt(next + TIMER_SLACK_MS, now);
        }
    }

    void fired() {
        timer.fired();
        firings++;
    }

    /** Test hook: how often the timer has run. */
    long firings() {
        return firings;
    }

    /** The ready list was emptied (purge). */
    void clear() {
        index.clear();
    }

    void cancel() {
        index.clear();
        timer.cancel();
    }
}
