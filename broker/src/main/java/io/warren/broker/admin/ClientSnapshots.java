package io.warren.broker.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.warren.broker.BrokerState;
import io.warren.broker.channel.AmqpChannel;
import io.warren.broker.net.AmqpConnection;
import io.warren.broker.plugin.PluginConnections;
import io.warren.management.BrokerAdmin;
import io.warren.management.model.ChannelInfo;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.ConsumerInfo;
import io.warren.plugin.ClientConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads connections, channels and consumers. A connection's state belongs to its event loop
 * (nothing there is thread-safe), so each connection is read by a task on its own loop; the
 * tasks for all connections run in parallel and the caller waits for them, at most
 * {@link #TIMEOUT_MS} in all. A loop too busy to answer in time leaves its connections out of the
 * answer rather than blocking the API. Protocol plugins' connections describe themselves with an
 * immutable value that any thread may read.
 */
public final class ClientSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSnapshots.class);
    private static final long TIMEOUT_MS = 2_000;

    private record One(ConnectionInfo connection, List<ChannelInfo> channels, List<ConsumerInfo> consumers) {
    }

    private ClientSnapshots() {
    }

    static BrokerAdmin.ClientsSnapshot take(BrokerState state) {
        List<Future<One>> pending = new ArrayList<>();
        for (AmqpConnection c : state.connections()) {
            ChannelHandlerContext ctx = c.ctx();
            if (ctx == null) {
                continue;
            }
            EventExecutor loop = ctx.executor();
            try {
                pending.add(loop.submit(() -> read(c)));
            } catch (RejectedExecutionException e) {
                // the loop is shutting down: the connection is going away
            }
        }
        List<ConnectionInfo> connections = new ArrayList<>();
        List<ChannelInfo> channels = new ArrayList<>();
        List<ConsumerInfo> consumers = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        for (Future<One> f : pending) {
            try {
                One one = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (one != null) {
                    connections.add(one.connection());
                    channels.addAll(one.channels());
                    consumers.addAll(one.consumers());
                }
            } catch (TimeoutException e) {
                LOG.debug("a connection's event loop did not answer within {} ms", TIMEOUT_MS);
            } catch (ExecutionException e) {
                LOG.warn("reading a connection's state failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (PluginConnections.Open o : state.pluginConnections().all()) {
            connections.add(info(o.connection().details()));
        }
        return new BrokerAdmin.ClientsSnapshot(connections, channels, consumers);
    }

    /** A protocol plugin's connection (MQTT): no channels, no frames; its keepalive shows as the heartbeat. */
    private static ConnectionInfo info(ClientConnection.Details d) {
        return new ConnectionInfo(d.name(), d.vhost(), d.user(), host(d.peer()), d.peer().getPort(), host(d.local()),
                d.local().getPort(), "running", 0, 0, 0, d.heartbeatSeconds(), d.connectedAt(), "PLAIN",
                d.clientProperties(), d.protocol(), d.tls());
    }

    /** RabbitMQ's connection name: {@code "peerHost:peerPort -> host:port"}. */
    public static String name(AmqpConnection c) {
        io.netty.channel.Channel ch = c.ctx().channel();
        return hostPort(ch.remoteAddress()) + " -> " + hostPort(ch.localAddress());
    }

    private static String hostPort(SocketAddress a) {
        return a instanceof InetSocketAddress i ? host(i) + ":" + i.getPort() : String.valueOf(a);
    }

    private static String host(InetSocketAddress a) {
        return a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    }

    /** Runs on the connection's loop. Null when the connection is already gone. */
    private static One read(AmqpConnection c) {
        io.netty.channel.Channel ch = c.ctx().channel();
        if (!(ch.remoteAddress() instanceof InetSocketAddress peer) || !(ch.localAddress() instanceof InetSocketAddress local)) {
            return null;
        }
        String name = name(c);
        String vhost = c.vhost() == null ? null : c.vhost().name();
        List<AmqpChannel> open = c.channels();
        ConnectionInfo info = new ConnectionInfo(name, vhost, c.user(), host(peer), peer.getPort(), host(local),
                local.getPort(), c.stateName(), open.size(), c.channelMax(), c.frameMax(), c.heartbeat(),
                c.connectedAt(), c.authMechanism(), AmqpValues.tableToJson(c.clientProperties()));
        List<ChannelInfo> channels = new ArrayList<>(open.size());
        List<ConsumerInfo> consumers = new ArrayList<>();
        for (AmqpChannel a : open) {
            List<AmqpChannel.ConsumerDetails> details = a.consumerDetails();
            channels.add(new ChannelInfo(name, a.id(), vhost, c.user(), host(peer), peer.getPort(), details.size(),
                    a.unackedCount(), a.prefetchCount(), a.globalPrefetchCount(), a.inConfirmMode(), "running"));
            for (AmqpChannel.ConsumerDetails d : details) {
                Map<String, Object> args = d.priority() == 0 ? Map.of() : Map.of("x-priority", d.priority());
                consumers.add(new ConsumerInfo(d.queue().vhost().name(), d.queue().name(), d.tag(), name, a.id(),
                        c.user(), host(peer), peer.getPort(), d.ackRequired(), d.exclusive(), d.prefetchCount(),
                        !"waiting".equals(d.activityStatus()), args, d.activityStatus()));
            }
        }
        return new One(info, channels, consumers);
    }
}
