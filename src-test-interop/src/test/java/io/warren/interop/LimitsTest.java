package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Negotiated limits as amqp-client sees them with the broker's defaults (frame_max 131072, channel_max 2047, heartbeat
 * 60 s, max message size 128 MiB); {@link ConfiguredLimitsTest} covers a broker configured with smaller limits.
 */
class LimitsTest extends InteropTestBase {

    static final int DEFAULT_MAX_MESSAGE_SIZE = 128 * 1024 * 1024;

    private Connection connect(int frameMax, int channelMax, int heartbeat) throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedFrameMax(frameMax);
        f.setRequestedChannelMax(channelMax);
        f.setRequestedHeartbeat(heartbeat);
        return track(f.newConnection("interop-limits"));
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aClientWithoutLimitsGetsTheBrokersDefaults() throws Exception {
        Connection c = connect(0, 0, 0);
        assertEquals(131072, c.getFrameMax());
        assertEquals(2047, c.getChannelMax());
        assertEquals(60, c.getHeartbeat(), "heartbeat 0 from the client: amqp-client takes the server's value");
    }

    @Test
    void lowerClientLimitsWin() throws Exception {
        Connection c = connect(8192, 10, 5);
        assertEquals(8192, c.getFrameMax());
        assertEquals(10, c.getChannelMax());
        assertEquals(5, c.getHeartbeat());
        for (int i = 0; i < 10; i++) {
            assertNotNull(c.createChannel(), "channel " + (i + 1));
        }
    }

    @Test
    void higherClientLimitsAreCappedAtTheBrokers() throws Exception {
        Connection c = connect(1 << 20, 65535, 600);
        assertEquals(131072, c.getFrameMax());
        assertEquals(2047, c.getChannelMax());
        assertEquals(60, c.getHeartbeat());
    }

    @Test
    void theSmallestFrameMaxWorksForLargeMessagesBothWays() throws Exception {
        Connection c = connect(4096, 0, 60);
        assertEquals(4096, c.getFrameMax());
        Channel small = c.createChannel();
        String q = declareQueue();
        byte[] body = randomBytes(300_000, 1);
        small.confirmSelect();
        small.basicPublish("", q, null, body);
        small.waitForConfirmsOrDie(10_000);
        GetResponse r = getOrFail(small, q, true);
        assertArrayEquals(body, r.getBody(), "published in 74 body frames, fetched the same way");
        small.basicPublish("", q, null, body);
        BlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
        small.basicConsume(q, true, (t, d) -> got.add(d.getBody()), t -> { });
        assertArrayEquals(body, got.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void bodyFramesOfExactlyFrameMaxMinusEightAreFine() throws Exception {
        Connection c = connect(4096, 0, 60);
        Channel small = c.createChannel();
        String q = declareQueue();
        small.confirmSelect();
        for (int n : new int[]{0, 1, 4087, 4088, 4089, 8176, 8177}) {
            small.basicPublish("", q, null, randomBytes(n, n));
        }
        small.waitForConfirmsOrDie(10_000);
        for (int n : new int[]{0, 1, 4087, 4088, 4089, 8176, 8177}) {
            assertArrayEquals(randomBytes(n, n), getOrFail(small, q, true).getBody(), "size " + n);
        }
    }

    @Test
    void aLargeMessageUnderTheDefaultMaxIsAccepted() throws Exception {
        String q = declareQueue();
        byte[] body = randomBytes(16 * 1024 * 1024, 16);
        ch.confirmSelect();
        ch.basicPublish("", q, null, body);
        ch.waitForConfirmsOrDie(20_000);
        assertArrayEquals(body, getOrFail(ch, q, true).getBody());
    }

    @Test
    @Timeout(120)
    void aMessageAboveTheDefaultMaxOf128MiBIs406() throws Exception {
        String q = declareQueue();
        Channel big = conn.createChannel();
        big.basicPublish("", q, null, new byte[DEFAULT_MAX_MESSAGE_SIZE + 1]);
        assertEquals("PRECONDITION_FAILED - message size " + (DEFAULT_MAX_MESSAGE_SIZE + 1)
                + " is larger than configured max size " + DEFAULT_MAX_MESSAGE_SIZE, awaitChannelError(406, big));
        assertTrue(conn.isOpen());
        ch.basicPublish("", q, null, utf8("small"));
        awaitMessageCount(q, 1); // the refused message was not enqueued, the connection keeps working
    }
}
