package io.warren.broker.cluster.link;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The first exchange on a new link (see {@link LinkAuth}): the node with the lower name dials and
 * says Hello, the other answers with a Challenge carrying its proof, the dialer checks it and sends
 * its own Proof, and the acceptor answers Welcome. Anything else, a wrong proof or an unknown node
 * closes the socket with one log line; a socket that does not finish within {@link #TIMEOUT_MS} is
 * closed too. On success this handler gives way to the {@link PeerLink}.
 */
final class LinkHandshake extends SimpleChannelInboundHandler<LinkMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(LinkHandshake.class);
    static final long TIMEOUT_MS = 10_000;

    private final NodeLinks links;
    private final String expectedPeer; // the dialer knows whom it called; null on the accepting side
    private final byte[] ownNonce = LinkAuth.nonce();
    private byte[] dialerNonce;
    private byte[] acceptorNonce;
    private String peer;
    private ScheduledFuture<?> timeout;

    LinkHandshake(NodeLinks links, String expectedPeer) {
        this.links = links;
        this.expectedPeer = expectedPeer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> refuse(ctx, "no handshake within " + TIMEOUT_MS + " ms"),
                TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (expectedPeer != null) {
            dialerNonce = ownNonce;
            ctx.writeAndFlush(new LinkMessage.Hello(links.self(), ownNonce));
        }
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LinkMessage m) {
        if (expectedPeer == null) {
            acceptorRead(ctx, m);
        } else {
            dialerRead(ctx, m);
        }
    }

    private void acceptorRead(ChannelHandlerContext ctx, LinkMessage m) {
        if (m instanceof LinkMessage.Hello h && peer == null) {
            if (!links.isPeer(h.node()) || h.node().compareTo(links.self()) >= 0
                    || h.nonce().length != LinkAuth.NONCE_BYTES) {
                refuse(ctx, "hello from '" + h.node() + "', not a member that dials this node");
                return;
            }
            peer = h.node();
            dialerNonce = h.nonce();
            acceptorNonce = ownNonce;
            byte[] proof = links.auth().proof("acceptor", links.self(), dialerNonce, acceptorNonce);
            ctx.writeAndFlush(new LinkMessage.Challenge(links.self(), acceptorNonce, proof));
        } else if (m instanceof LinkMessage.Proof p && peer != null) {
            byte[] expected = links.auth().proof("dialer", peer, dialerNonce, acceptorNonce);
            if (!links.auth().verify(expected, p.proof())) {
                refuse(ctx, "node '" + peer + "' does not know the cluster secret");
                return;
            }
            LinkCodec.authenticated(ctx.pipeline(), links.maxMessageSize());
            ctx.writeAndFlush(new LinkMessage.Welcome());
            established(ctx);
        } else {
            refuse(ctx, "unexpected " + m.getClass().getSimpleName() + " during the handshake");
        }
    }

    private void dialerRead(ChannelHandlerContext ctx, LinkMessage m) {
        if (m instanceof LinkMessage.Challenge c && acceptorNonce == null) {
            byte[] expected = links.auth().proof("acceptor", expectedPeer, dialerNonce, c.nonce());
            if (!c.node().equals(expectedPeer) || !links.auth().verify(expected, c.proof())) {
                refuse(ctx, "the node at this address is not '" + expectedPeer + "' with the cluster secret");
                return;
            }
            acceptorNonce = c.nonce();
            peer = expectedPeer;
            LinkCodec.authenticated(ctx.pipeline(), links.maxMessageSize());
            ctx.writeAndFlush(new LinkMessage.Proof(links.auth().proof("dialer", links.self(), dialerNonce,
                    acceptorNonce)));
        } else if (m instanceof LinkMessage.Welcome && peer != null) {
            established(ctx);
        } else {
            refuse(ctx, "unexpected " + m.getClass().getSimpleName() + " during the handshake");
        }
    }

    private void established(ChannelHandlerContext ctx) {
        timeout.cancel(false);
        PeerLink link = new PeerLink(links, peer, ctx.channel());
        ctx.pipeline().replace(this, "peer", link);
        links.up(link);
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        LOG.warn("cluster link from {} refused: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        refuse(ctx, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
