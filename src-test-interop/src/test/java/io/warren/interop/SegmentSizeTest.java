package io.warren.interop;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A client on the broker's host gets TCP segments of at most 16 KiB from the AMQP and MQTT listeners, not the loopback
 * interface's 64 KiB: a consumer socket whose window is just below 64 KiB (the kernel's default receive buffer)
 * was otherwise served one window per 200 ms persist timer once deliveries queued up in the socket
 * (PerfTest's consumer stuck at ~2,300 msg/s; see {@code SegmentSizeClamp}).
 */
@Timeout(60)
class SegmentSizeTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.shared();

    private static final IntegerUnixChannelOption TCP_MAXSEG = new IntegerUnixChannelOption("TCP_MAXSEG", 6, 2);

    @Test
    void amqpConnectionsOnLoopbackUseSegmentsThatSeveralFitADefaultWindow() throws Exception {
        assertSegmentCapped(broker.port());
    }

    @Test
    void mqttConnectionsToo() throws Exception {
        assertSegmentCapped(broker.mqttPort());
    }

    private static void assertSegmentCapped(int port) throws Exception {
        assumeFalse(WarrenBroker.external(), "Warren's listener setting");
        assumeTrue(Epoll.isAvailable(), "reading TCP_MAXSEG needs the epoll transport");
        EventLoopGroup loop = new EpollEventLoopGroup(1);
        try {
            Channel ch = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(broker.host(), port).sync().channel();
            // the client's segment size is the smaller of its own and the one the broker announced
            int mss = ch.config().getOption(TCP_MAXSEG);
            ch.close().sync();
            assertTrue(mss > 1000 && mss <= 16 * 1024, "segment size to " + broker.host() + ":" + port + ": " + mss);
        } finally {
            loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
