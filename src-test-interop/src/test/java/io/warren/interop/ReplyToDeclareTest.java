package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * queue.declare of {@code amq.rabbitmq.reply-to*} names, as RabbitMQ 3.10's declare_fast_reply_to: the pseudo-queue
 * and the address of a live reply consumer "exist" (0 messages, 1 consumer), from any connection, passive or not;
 * any other such name — a forged address, or a real one whose consumer is gone — is 404.
 */
class ReplyToDeclareTest extends InteropTestBase {

    private static String notFound(String q) {
        return "NOT_FOUND - no queue '" + q + "' in vhost '/'";
    }

    @Test
    void forgedReplyToNamesAre404() throws Exception {
        String forged = "amq.rabbitmq.reply-to.xyz";
        assertEquals(notFound(forged), assertChannelError(404, ch, () -> ch.queueDeclarePassive(forged)));
        Channel c2 = conn.createChannel();
        assertEquals(notFound(forged), assertChannelError(404, c2, () -> c2.queueDeclare(forged, false, false, false, null)));
        Channel c3 = conn.createChannel();
        String lookalike = "amq.rabbitmq.reply-tox";
        assertEquals(notFound(lookalike), assertChannelError(404, c3, () -> c3.queueDeclarePassive(lookalike)));
        assertTrue(conn.isOpen());
        AMQP.Queue.DeclareOk ok = conn.createChannel().queueDeclarePassive("amq.rabbitmq.reply-to");
        assertEquals("amq.rabbitmq.reply-to", ok.getQueue());
    }

    @Test
    void aGenuineAddressExistsWhileItsConsumerLives() throws Exception {
        Channel requester = conn.createChannel();
        requester.basicConsume("amq.rabbitmq.reply-to", true, (t, d) -> { }, t -> { });
        // learn the address the broker gave this channel from a request the requester sends to itself
        String q = declareQueue();
        requester.basicPublish("", q, new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").build(),
                "request".getBytes(StandardCharsets.UTF_8));
        String address = getOrFail(ch, q, true).getProps().getReplyTo();
        assertTrue(address.startsWith("amq.rabbitmq.reply-to."), address);

        AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(address);
        assertEquals(address, ok.getQueue());
        assertEquals(0, ok.getMessageCount());
        assertEquals(1, ok.getConsumerCount());
        assertEquals(address, ch.queueDeclare(address, false, false, false, null).getQueue());
        Connection other = newConnection();
        assertEquals(1, other.createChannel().queueDeclarePassive(address).getConsumerCount());

        // a forged address of the same shape is not the real one
        String forged = address.substring(0, address.length() - 3) + (address.endsWith("AAA") ? "BBB" : "AAA");
        Channel c2 = conn.createChannel();
        assertEquals(notFound(forged), assertChannelError(404, c2, () -> c2.queueDeclarePassive(forged)));

        requester.close();
        Channel c3 = other.createChannel();
        assertEquals(notFound(address), assertChannelError(404, c3, () -> c3.queueDeclarePassive(address)));
        assertTrue(conn.isOpen() && other.isOpen());
    }

    @Test
    void aReplyStillReachesTheRequesterAfterOthersProbedTheAddress() throws Exception {
        Channel requester = conn.createChannel();
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        requester.basicConsume("amq.rabbitmq.reply-to", true,
                (t, d) -> replies.add(new String(d.getBody(), StandardCharsets.UTF_8)), t -> { });
        String q = declareQueue();
        requester.basicPublish("", q, new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").build(),
                "request".getBytes(StandardCharsets.UTF_8));
        String address = getOrFail(ch, q, true).getProps().getReplyTo();
        Channel prober = newConnection().createChannel();
        assertChannelError(404, prober, () -> prober.queueDeclarePassive("amq.rabbitmq.reply-to.forged"));
        ch.basicPublish("", address, null, "reply".getBytes(StandardCharsets.UTF_8));
        String reply = replies.poll(5, TimeUnit.SECONDS);
        assertNotNull(reply, "no reply");
        assertEquals("reply", reply);
    }
}
