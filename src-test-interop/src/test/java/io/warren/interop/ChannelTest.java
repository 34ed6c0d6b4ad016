package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channels: many per connection, channel errors are local to their channel, reuse of numbers, channel.flow. */
class ChannelTest extends InteropTestBase {

    @Test
    void manyChannelsOnOneConnection() throws Exception {
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Channel c = conn.createChannel();
            assertNotNull(c);
            channels.add(c);
        }
        String q = declareQueue();
        for (Channel c : channels) {
            c.basicPublish("", q, null, Integer.toString(c.getChannelNumber()).getBytes(StandardCharsets.UTF_8));
        }
        awaitMessageCount(q, channels.size());
        for (Channel c : channels) {
            c.close();
        }
        assertTrue(conn.isOpen());
    }

    @Test
    void channelErrorClosesOnlyThatChannel() throws Exception {
        Channel other = conn.createChannel();
        String q = declareQueue();
        String missing = uniqueName("missing");
        String text = assertChannelError(404, ch, () -> ch.queueDeclarePassive(missing));
        assertEquals("NOT_FOUND - no queue '" + missing + "' in vhost '/'", text);
        assertTrue(conn.isOpen());
        assertTrue(other.isOpen());
        other.basicPublish("", q, null, "m".getBytes(StandardCharsets.UTF_8));
        assertNotNull(getOrFail(other, q, true));
        // a new channel on the same connection works too
        Channel fresh = conn.createChannel();
        assertEquals(q, fresh.queueDeclarePassive(q).getQueue());
    }

    @Test
    void channelErrorDoesNotDisturbAConsumerOnAnotherChannel() throws Exception {
        String q = declareQueue();
        Channel consumerCh = conn.createChannel();
        java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        consumerCh.basicConsume(q, true, (tag, d) -> got.add(new String(d.getBody(), StandardCharsets.UTF_8)), tag -> { });
        Channel publisher = conn.createChannel();
        publisher.basicPublish("", q, null, "before".getBytes(StandardCharsets.UTF_8));
        assertEquals("before", got.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(uniqueName("nope")));
        publisher.basicPublish("", q, null, "after".getBytes(StandardCharsets.UTF_8));
        assertEquals("after", got.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(consumerCh.isOpen());
    }

    @Test
    void channelNumberCanBeReusedAfterClose() throws Exception {
        Channel c = conn.createChannel(42);
        assertEquals(42, c.getChannelNumber());
        c.close();
        Channel again = conn.createChannel(42);
        assertNotNull(again);
        again.queueDeclare();
        // and after a channel error
        assertChannelError(404, again, () -> again.queueDeclarePassive(uniqueName("nope")));
        Channel third = conn.createChannel(42);
        assertNotNull(third);
        third.queueDeclare();
    }

    @Test
    void clientSideChannelMaxIsNegotiated() throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedChannelMax(3);
        Connection c = track(f.newConnection());
        assertEquals(3, c.getChannelMax());
        for (int i = 0; i < 3; i++) {
            assertNotNull(c.createChannel());
        }
        assertNull(c.createChannel(), "amqp-client refuses a 4th channel itself");
    }

    @Test
    void closingAChannelRequeuesItsUnackedMessages() throws Exception {
        String q = declareQueue();
        for (int i = 1; i <= 3; i++) {
            ch.basicPublish("", q, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        awaitMessageCount(q, 3);
        Channel c = conn.createChannel();
        GetResponse r1 = getOrFail(c, q, false);
        GetResponse r2 = getOrFail(c, q, false);
        assertEquals("m1", new String(r1.getBody(), StandardCharsets.UTF_8));
        assertEquals("m2", new String(r2.getBody(), StandardCharsets.UTF_8));
        c.close();
        awaitMessageCount(q, 3);
        for (int i = 1; i <= 3; i++) {
            GetResponse r = getOrFail(ch, q, true);
            assertEquals("m" + i, new String(r.getBody(), StandardCharsets.UTF_8));
            assertEquals(i <= 2, r.getEnvelope().isRedeliver(), "redelivered flag of m" + i);
        }
    }

    @Test
    void channelErrorRequeuesItsUnackedMessages() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, "x".getBytes(StandardCharsets.UTF_8));
        Channel c = conn.createChannel();
        getOrFail(c, q, false);
        assertEquals(0, ch.messageCount(q));
        assertChannelError(404, c, () -> c.queueDeclarePassive(uniqueName("nope")));
        awaitMessageCount(q, 1);
        assertTrue(getOrFail(ch, q, true).getEnvelope().isRedeliver());
    }

    @Test
    void channelFlowActiveIsAcknowledged() throws Exception {
        Command reply = ch.rpc(new AMQP.Channel.Flow.Builder().active(true).build());
        AMQP.Channel.FlowOk ok = assertInstanceOf(AMQP.Channel.FlowOk.class, reply.getMethod());
        assertTrue(ok.getActive());
        ch.queueDeclare();
    }

    @Test
    void channelFlowInactiveIsNotImplemented() {
        String text = assertConnectionError(540, conn,
                () -> ch.rpc(new AMQP.Channel.Flow.Builder().active(false).build()));
        assertEquals("NOT_IMPLEMENTED - active=false", text);
    }

    @Test
    void closeWithCustomReplyCode() throws Exception {
        Channel c = conn.createChannel();
        c.close(200, "done here");
        assertFalse(c.isOpen());
        assertTrue(conn.isOpen());
    }
}
