package io.warren.broker;

/**
 * How many event loops serve client connections. A publish on one loop for a consumer on another is handed
 * over as a task, and waking the consumer's loop (an eventfd write, its epoll_wait returning, a context switch)
 * costs more CPU than delivering the message: at 1,000 msg/s it was a third of the broker's CPU. Loops on the
 * same core gain nothing, and the storage writer, the collector and the JIT need CPU beside them; so the
 * default is half the cores (one loop on a two-core machine, as LavinMQ serves everything from one thread),
 * and {@code --event-loops} sets it.
 */
final class EventLoops {
    private EventLoops() {
    }

    /** {@code configured} 0: the default for {@code cores}. */
    static int count(int configured, int cores) {
        return configured > 0 ? configured : Math.max(1, cores / 2);
    }
}
