package io.warren.broker.net;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node-wide connection limit ({@code --max-connections}). Only connections that got through
 * {@code connection.open} hold a slot. Sockets still in the handshake do not: anyone who can reach the
 * port can open sockets and stay silent, and if those counted, a few hundred of them would lock every
 * real user out. They are bounded instead by the handshake timeout (each lives at most
 * {@code --handshake-timeout-ms}) and cost little meanwhile (no channels, frames capped at 4 KB before
 * tune-ok). A separate cap on handshaking sockets would not help: filling it would lock users out just
 * the same. Acquiring is one atomic step, so connections opening at once on different event loops cannot
 * overshoot the limit. Protocol plugins' connections (MQTT) take slots here too, once logged in.
 */
public final class ConnectionSlots {
    private final AtomicInteger inUse = new AtomicInteger();

    /** Takes a slot unless {@code max} (0: unlimited) are taken already. */
    public boolean tryAcquire(int max) {
        while (true) {
            int n = inUse.get();
            if (max > 0 && n >= max) {
                return false;
            }
            if (inUse.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        inUse.decrementAndGet();
    }
}
