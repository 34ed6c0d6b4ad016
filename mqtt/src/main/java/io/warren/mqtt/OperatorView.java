package io.warren.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.warren.plugin.ClientConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * An MQTT connection as the broker shows and governs it (see {@link ClientConnection}): described as RabbitMQ's
 * MQTT plugin lists it in {@code /api/connections} (protocol {@code "MQTT 3.1.1"}, the client id in its client
 * properties), closed by operators, blocked by resource alarms. Calls come from any thread and hop onto the
 * connection's event loop.
 */
final class OperatorView implements ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorView.class);

    private final ChannelHandlerContext ctx;
    private final PublisherGate gate;
    private final Details details;

    OperatorView(ChannelHandlerContext ctx, PublisherGate gate, int protocolLevel, String clientId, String vhost,
                 String user, int keepAliveSeconds, boolean tls) {
        this.ctx = ctx;
        this.gate = gate;
        InetSocketAddress peer = inet(ctx.channel().remoteAddress());
        InetSocketAddress local = inet(ctx.channel().localAddress());
        this.details = new Details(protocolLevel == 3 ? "MQTT 3.1.0" : "MQTT 3.1.1", name(peer) + " -> " + name(local),
                vhost, user, peer, local, System.currentTimeMillis(), keepAliveSeconds, tls,
                Map.of("client_id", clientId, "product", "MQTT client"));
    }

    /** A TCP socket's address; a placeholder when the socket is already gone (no address to show). */
    private static InetSocketAddress inet(java.net.SocketAddress a) {
        return a instanceof InetSocketAddress i ? i : InetSocketAddress.createUnresolved("unknown", 0);
    }

    private static String name(InetSocketAddress a) {
        return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
    }

    @Override
    public Details details() {
        return details;
    }

    @Override
    public void closeByOperator(String reason) {
        ctx.executor().execute(() -> {
            LOG.info("closing MQTT connection {} (client id '{}'): {}", details.name(),
                    details.clientProperties().get("client_id"), reason);
            ctx.close();
        });
    }

    @Override
    public void alarmsChanged(boolean on, String reason) {
        ctx.executor().execute(() -> gate.alarm(on, reason));
    }
}
