package io.warren.broker.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Dead letters a queue makes under its lock (rejected, expired, dropped by a length limit), handed
 * out to be published after the lock is released: publishing enters other queues, and a queue never
 * calls into another while it holds its own lock. A stored message that was paged out is settled in
 * the store only after its dead letter was made, since making it reads the body back.
 */
final class DeadLetterOutbox {
    private final Queue queue;
    private List<DeadLetterer.DeadLetter> pending;

    DeadLetterOutbox(Queue queue) {
        this.queue = queue;
    }

    /** Under the queue's lock. */
    void add(DeadLetterer.DeadLetter d) {
        if (pending == null) {
            pending = new ArrayList<>();
        }
        pending.add(d);
    }

    /** Under the queue's lock: what was collected, or null. */
    List<DeadLetterer.DeadLetter> take() {
        List<DeadLetterer.DeadLetter> d = pending;
        pending = null;
        return d;
    }

    /**
     * After the lock is released. Re-entered under the queue's lock (a consumer call-back), the letters
     * go back to the outbox and the outer call publishes them.
     */
    void publish(List<DeadLetterer.DeadLetter> dead, DeadLetterer via) {
        if (dead == null) {
            return;
        }
        if (Thread.holdsLock(queue)) {
            if (pending == null) {
                pending = dead;
            } else {
                pending.addAll(dead);
            }
            return;
        }
        if (via != null) { // null if a policy change took the dead-letter exchange away meanwhile
            via.publish(dead);
        }
        for (DeadLetterer.DeadLetter l : dead) {
            if (l.settleAfter() != null) {
                queue.settleAfterRead(l.settleAfter());
            }
        }
    }
}
