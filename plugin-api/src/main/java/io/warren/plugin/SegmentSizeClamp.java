package io.warren.plugin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * Caps the TCP segment size (TCP_MAXSEG) of a client listener's connections (AMQP, MQTT), so a consumer on the same
 * host cannot be left at one segment per 200 ms.
 *
 * <p>Why: on the loopback interface (MTU 64 KiB) the segment size is about 64 KiB, while a client socket
 * whose receive buffer the kernel never grew past its default (128 KiB, so a window of about 64 KiB) offers
 * a window a few hundred bytes <em>smaller</em> than one segment. Linux sends nothing while the first
 * queued segment does not fit the window, until its persist timer (200 ms) probes with what fits. Small
 * writes slip through (each is a short segment), but once a burst of deliveries queued up in the socket
 * (a client that paused, a GC) every queued segment is full-size, and the consumer gets one window per
 * probe (about 2,300 small messages a second) for as long as the broker has more to send: measured with
 * PerfTest's Java consumer, whose received rate fell from 200,000 msg/s to a flat 2,325 and stayed there
 * (ss showed {@code rwnd_limited}, snd_wnd 64,582 below mss 64,768). With segments of
 * {@link #MAX_SEGMENT} bytes several fit such a window and the stall cannot arise. On a real network
 * the path's segment size (1,448 bytes, 8,948 with jumbo frames) is already below the cap, so this
 * changes nothing there.
 *
 * <p>Epoll only: NIO's server channel cannot set the option, and the cap is then left out.
 */
public final class SegmentSizeClamp {
    /** A quarter of the window that the kernel's default receive buffer offers. */
    public static final int MAX_SEGMENT = 16 * 1024;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_MAXSEG = 2;
    private static final IntegerUnixChannelOption OPTION = new IntegerUnixChannelOption("TCP_MAXSEG", IPPROTO_TCP,
            TCP_MAXSEG);

    private SegmentSizeClamp() {
    }

    /** Sets the cap on the listening socket (before it listens): accepted connections inherit it. */
    public static ServerBootstrap apply(ServerBootstrap b, Class<? extends ServerChannel> serverChannel) {
        if (EpollServerSocketChannel.class.isAssignableFrom(serverChannel)) {
            b.option(OPTION, MAX_SEGMENT);
        }
        return b;
    }
}
