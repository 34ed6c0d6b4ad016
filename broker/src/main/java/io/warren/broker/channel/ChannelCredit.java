package io.warren.broker.channel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The channel-wide prefetch limit of basic.qos(global=true), shared by every consumer of the
 * channel, whichever queue (and thread) asks. A CAS loop so two queues cannot overshoot it.
 */
final class ChannelCredit {
    private final AtomicInteger inflight = new AtomicInteger();
    private volatile int limit; // 0 = unlimited

    void setLimit(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    boolean tryAcquire() {
        for (;;) {
            int current = inflight.get();
            int l = limit;
            if (l > 0 && current >= l) {
                return false;
            }
            if (inflight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        inflight.decrementAndGet();
    }
}
