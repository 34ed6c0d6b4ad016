package io.warren.broker.channel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The channel-wide prefetch limit of basic.qos(global=true), as RabbitMQ 3.10's limiter keeps it: a
 * limit and a "volume" of unacknowledged consumer deliveries, shared by every consumer of the
 * channel, whichever queue (and thread) asks.
 * <ul>
 *   <li>While the limit is used up, every consumer of the channel waits, no-ack ones too (RabbitMQ's
 *       limiter refuses them as well), but a no-ack delivery does not add to the volume.</li>
 *   <li>When the limit is switched on, the volume starts at the channel's unacked count, basic.get
 *       deliveries included; acks of basic.get deliveries never lower it (they carry no consumer).</li>
 *   <li>Without a limit nothing is counted; switching it off forgets the volume.</li>
 * </ul>
 * Limit and volume share one atomic word so a qos change and a queue's acquire cannot interleave.
 */
final class ChannelCredit {
    private final AtomicLong state = new AtomicLong(); // limit << 32 | volume; 0 = no limit

    private static long pack(int limit, int volume) {
        return ((long) limit << 32) | (volume & 0xffffffffL);
    }

    private static int limitOf(long s) {
        return (int) (s >>> 32);
    }

    private static int volumeOf(long s) {
        return (int) s;
    }

    /**
     * basic.qos: a new limit (0 switches it off). Going from no limit to one, the volume starts at
     * {@code unacked}, everything the channel has out for acknowledgement (RabbitMQ: the length of
     * its unacked queue); a changed limit keeps the volume.
     */
    void setLimit(int limit, int unacked) {
        for (;;) {
            long s = state.get();
            long next = limit == 0 ? 0 : pack(limit, limitOf(s) == 0 ? unacked : volumeOf(s));
            if (state.compareAndSet(s, next)) {
                return;
            }
        }
    }

    int limit() {
        return limitOf(state.get());
    }

    /**
     * May the channel take one more delivery? {@code ackRequired} deliveries count against the
     * limit; no-ack ones only need it not to be used up. Any thread (a queue's dispatch).
     */
    boolean tryAcquire(boolean ackRequired) {
        for (;;) {
            long s = state.get();
            int limit = limitOf(s);
            if (limit == 0) {
                return true;
            }
            int volume = volumeOf(s);
            if (volume >= limit) {
                return false;
            }
            if (!ackRequired || state.compareAndSet(s, pack(limit, volume + 1))) {
                return true;
            }
        }
    }

    /** A consumer delivery was acked, rejected or requeued (or never reached the client). */
    void release() {
        for (;;) {
            long s = state.get();
            int limit = limitOf(s);
            if (limit == 0) {
                return; // nothing counted without a limit
            }
            // RabbitMQ leaves a volume of 0 at 0 (a delivery made before the limit existed)
            long next = pack(limit, Math.max(0, volumeOf(s) - 1));
            if (state.compareAndSet(s, next)) {
                return;
            }
        }
    }
}
