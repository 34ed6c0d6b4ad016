package io.warren.broker.net;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * AMQP heartbeats of one connection, as RabbitMQ runs them: every half interval a heartbeat goes out if nothing
 * else did, and the peer is dropped once nothing came in for four ticks (two intervals). Used on the
 * connection's event loop only.
 */
final class Heartbeats {
    private final AmqpConnection connection;
    private ScheduledFuture<?> task;
    private boolean readSinceTick;
    private int silentTicks;

    Heartbeats(AmqpConnection connection) {
        this.connection = connection;
    }

    void start(EventExecutor loop, int heartbeatSeconds) {
        if (heartbeatSeconds > 0) {
            long periodMillis = heartbeatSeconds * 1000L / 2;
            task = loop.scheduleAtFixedRate(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Something came in from the client. */
    void read() {
        readSinceTick = true;
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void tick() {
        connection.heartbeatIfIdle();
        // a connection we do not read (alarm, client not reading) is silent because of us: its silence
        // proves nothing (RabbitMQ pauses the check too)
        silentTicks = readSinceTick || connection.readingPaused() ? 0 : silentTicks + 1;
        readSinceTick = false;
        if (silentTicks >= 4) {
            connection.missedHeartbeats();
        }
    }
}
