package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** basic.publish / get / return / consume / cancel. Acks are in {@link AckTest}, prefetch in {@link QosTest}. */
class BasicTest extends InteropTestBase {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void publishAndGet() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, utf8("one"));
        ch.basicPublish("", q, null, utf8("two"));
        awaitMessageCount(q, 2);
        GetResponse r = ch.basicGet(q, false);
        assertNotNull(r);
        assertEquals("one", str(r.getBody()));
        assertEquals(1, r.getMessageCount(), "messages left after this one");
        Envelope e = r.getEnvelope();
        assertEquals("", e.getExchange());
        assertEquals(q, e.getRoutingKey());
        assertEquals(1, e.getDeliveryTag());
        assertFalse(e.isRedeliver());
        ch.basicAck(1, false);
        GetResponse r2 = ch.basicGet(q, true);
        assertEquals("two", str(r2.getBody()));
        assertEquals(0, r2.getMessageCount());
        assertEquals(2, r2.getEnvelope().getDeliveryTag());
    }

    @Test
    void getOnEmptyQueueReturnsNull() throws Exception {
        String q = declareQueue();
        assertNull(ch.basicGet(q, true));
        assertNull(ch.basicGet(q, false));
        assertTrue(ch.isOpen());
    }

    @Test
    void getOnMissingQueueIs404() {
        String q = uniqueName("missing");
        assertEquals("NOT_FOUND - no queue '" + q + "' in vhost '/'", assertChannelError(404, ch, () -> ch.basicGet(q, true)));
    }

    @Test
    void publishThroughANamedExchangeShowsItInTheEnvelope() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "topic");
        String q = declareQueue();
        ch.queueBind(q, x, "a.*");
        ch.basicPublish(x, "a.b", null, utf8("hi"));
        Envelope e = getOrFail(ch, q, true).getEnvelope();
        assertEquals(x, e.getExchange());
        assertEquals("a.b", e.getRoutingKey());
    }

    @Test
    void mandatoryUnroutableIsReturnedWith312() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        CompletableFuture<Return> returned = new CompletableFuture<>();
        ch.addReturnListener(returned::complete);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("m-1").contentType("text/plain").build();
        ch.basicPublish(x, "nowhere", true, props, utf8("lost"));
        Return r = returned.get(5, TimeUnit.SECONDS);
        assertEquals(312, r.getReplyCode());
        assertEquals("NO_ROUTE", r.getReplyText());
        assertEquals(x, r.getExchange());
        assertEquals("nowhere", r.getRoutingKey());
        assertEquals("m-1", r.getProperties().getMessageId());
        assertEquals("text/plain", r.getProperties().getContentType());
        assertEquals("lost", str(r.getBody()));
        assertTrue(ch.isOpen());
    }

    @Test
    void mandatoryToTheDefaultExchangeWithoutSuchQueueIsReturned() throws Exception {
        CompletableFuture<Return> returned = new CompletableFuture<>();
        ch.addReturnListener(returned::complete);
        String missing = uniqueName("no-queue");
        ch.basicPublish("", missing, true, null, new byte[0]);
        Return r = returned.get(5, TimeUnit.SECONDS);
        assertEquals(312, r.getReplyCode());
        assertEquals("", r.getExchange());
        assertEquals(missing, r.getRoutingKey());
        assertEquals(0, r.getBody().length);
    }

    @Test
    void mandatoryRoutableAndNonMandatoryUnroutableAreNotReturned() throws Exception {
        String q = declareQueue();
        BlockingQueue<Return> returns = new LinkedBlockingQueue<>();
        ch.addReturnListener(returns::add);
        ch.basicPublish("", q, true, null, utf8("routed"));
        ch.basicPublish("", uniqueName("nowhere"), false, null, utf8("dropped"));
        ch.basicPublish("", uniqueName("nowhere"), true, null, utf8("returned"));
        Return r = returns.poll(5, TimeUnit.SECONDS);
        assertNotNull(r);
        assertEquals("returned", str(r.getBody()));
        assertNull(returns.poll(300, TimeUnit.MILLISECONDS));
        assertEquals(1, ch.messageCount(q));
    }

    @Test
    void immediateIsNotImplemented540() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, false, true, null, utf8("now"));
        String text = awaitConnectionError(540, conn);
        assertEquals("NOT_IMPLEMENTED - immediate=true", text);
    }

    @Test
    void consumeWithServerGeneratedTag() throws Exception {
        String q = declareQueue();
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        String tag = ch.basicConsume(q, true, (t, d) -> got.add(d), t -> { });
        assertTrue(tag.startsWith("amq.ctag-"), tag);
        ch.basicPublish("", q, null, utf8("a"));
        Delivery d = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(d);
        assertEquals("a", str(d.getBody()));
        assertEquals(1, d.getEnvelope().getDeliveryTag());
        assertFalse(d.getEnvelope().isRedeliver());
        assertEquals("", d.getEnvelope().getExchange());
        assertEquals(q, d.getEnvelope().getRoutingKey());
    }

    @Test
    void consumeWithClientTagAndConsumeOk() throws Exception {
        String q = declareQueue();
        CompletableFuture<String> consumeOk = new CompletableFuture<>();
        BlockingQueue<String> tags = new LinkedBlockingQueue<>();
        String tag = ch.basicConsume(q, true, "my-tag", new DefaultConsumer(ch) {
            @Override
            public void handleConsumeOk(String consumerTag) {
                consumeOk.complete(consumerTag);
            }

            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties p, byte[] body) {
                tags.add(consumerTag);
            }
        });
        assertEquals("my-tag", tag);
        assertEquals("my-tag", consumeOk.get(5, TimeUnit.SECONDS));
        ch.basicPublish("", q, null, utf8("x"));
        assertEquals("my-tag", tags.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void consumeDeliversMessagesAlreadyInTheQueueInOrder() throws Exception {
        String q = declareQueue();
        for (int i = 0; i < 20; i++) {
            ch.basicPublish("", q, null, utf8("m" + i));
        }
        awaitMessageCount(q, 20);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        ch.basicConsume(q, true, (t, d) -> got.add(str(d.getBody())), t -> { });
        for (int i = 0; i < 20; i++) {
            assertEquals("m" + i, got.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void consumeOnMissingQueueIs404() {
        String q = uniqueName("missing");
        assertEquals("NOT_FOUND - no queue '" + q + "' in vhost '/'",
                assertChannelError(404, ch, () -> ch.basicConsume(q, true, (t, d) -> { }, t -> { })));
    }

    @Test
    void exclusiveConsumerLocksOutOthers() throws Exception {
        String q = declareQueue();
        ch.basicConsume(q, true, "", false, true, null, new DefaultConsumer(ch));
        Channel c2 = conn.createChannel();
        String text = assertChannelError(403, c2, () -> c2.basicConsume(q, true, (t, d) -> { }, t -> { }));
        assertEquals("ACCESS_REFUSED - queue '" + q + "' in vhost '/' in exclusive use", text);
        Channel c3 = newConnection().createChannel();
        assertEquals(text, assertChannelError(403, c3, () -> c3.basicConsume(q, true, (t, d) -> { }, t -> { })));
    }

    @Test
    void exclusiveConsumeWhereAConsumerExistsIs403() throws Exception {
        String q = declareQueue();
        ch.basicConsume(q, true, (t, d) -> { }, t -> { });
        Channel c2 = conn.createChannel();
        String text = assertChannelError(403, c2,
                () -> c2.basicConsume(q, true, "", false, true, null, new DefaultConsumer(c2)));
        assertEquals("ACCESS_REFUSED - queue '" + q + "' in vhost '/' in exclusive use", text);
    }

    @Test
    void exclusiveConsumerCancelFreesTheQueue() throws Exception {
        String q = declareQueue();
        String tag = ch.basicConsume(q, true, "", false, true, null, new DefaultConsumer(ch));
        ch.basicCancel(tag);
        Channel c2 = conn.createChannel();
        c2.basicConsume(q, true, (t, d) -> { }, t -> { });
    }

    @Test
    void duplicateConsumerTagOnAChannelIs530() throws Exception {
        String q = declareQueue();
        ch.basicConsume(q, true, "dup-tag", new DefaultConsumer(ch));
        // amqp-client would refuse the duplicate locally, so send the raw method
        AMQP.Basic.Consume consume = new AMQP.Basic.Consume.Builder().queue(q).consumerTag("dup-tag").noAck(true).build();
        String text = assertConnectionError(530, conn, () -> ch.rpc(consume));
        assertEquals("NOT_ALLOWED - attempt to reuse consumer tag 'dup-tag'", text);
    }

    @Test
    void sameConsumerTagOnTwoChannelsIsFine() throws Exception {
        String q = declareQueue();
        ch.basicConsume(q, true, "shared-tag", new DefaultConsumer(ch));
        Channel c2 = conn.createChannel();
        assertEquals("shared-tag", c2.basicConsume(q, true, "shared-tag", new DefaultConsumer(c2)));
    }

    @Test
    void cancelStopsDeliveriesAndLeavesMessagesQueued() throws Exception {
        String q = declareQueue();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        CompletableFuture<String> cancelOk = new CompletableFuture<>();
        String tag = ch.basicConsume(q, true, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String t, Envelope e, AMQP.BasicProperties p, byte[] body) {
                got.add(str(body));
            }

            @Override
            public void handleCancelOk(String consumerTag) {
                cancelOk.complete(consumerTag);
            }
        });
        ch.basicPublish("", q, null, utf8("before"));
        assertEquals("before", got.poll(5, TimeUnit.SECONDS));
        ch.basicCancel(tag);
        assertEquals(tag, cancelOk.get(5, TimeUnit.SECONDS));
        ch.basicPublish("", q, null, utf8("after"));
        awaitMessageCount(q, 1);
        assertNull(got.poll(200, TimeUnit.MILLISECONDS));
        assertEquals(0, ch.consumerCount(q));
    }

    @Test
    void cancelOfAnUnknownTagIsAnsweredWithCancelOk() throws Exception {
        AMQP.Basic.Cancel cancel = new AMQP.Basic.Cancel.Builder().consumerTag("never-used").build();
        assertTrue(ch.rpc(cancel).getMethod() instanceof AMQP.Basic.CancelOk);
        assertTrue(ch.isOpen());
    }

    @Test
    void noLocalIsIgnored() throws Exception {
        String q = declareQueue();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        ch.basicConsume(q, true, "", true, false, null, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String t, Envelope e, AMQP.BasicProperties p, byte[] body) {
                got.add(str(body));
            }
        });
        ch.basicPublish("", q, null, utf8("own message"));
        assertEquals("own message", got.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void consumerPriorityWins() throws Exception {
        String q = declareQueue();
        Channel lowCh = conn.createChannel();
        Channel highCh = conn.createChannel();
        BlockingQueue<String> low = new LinkedBlockingQueue<>();
        BlockingQueue<String> high = new LinkedBlockingQueue<>();
        lowCh.basicConsume(q, true, Map.of("x-priority", 1), (t, d) -> low.add(str(d.getBody())), t -> { });
        highCh.basicConsume(q, true, Map.of("x-priority", 10), (t, d) -> high.add(str(d.getBody())), t -> { });
        for (int i = 0; i < 10; i++) {
            ch.basicPublish("", q, null, utf8("m" + i));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("m" + i, high.poll(5, TimeUnit.SECONDS));
        }
        assertTrue(low.isEmpty());
    }

    @Test
    void consumerOnAnotherConnectionReceives() throws Exception {
        String q = declareQueue();
        Connection other = newConnection();
        BlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
        other.createChannel().basicConsume(q, true, (t, d) -> got.add(d.getBody()), t -> { });
        ch.basicPublish("", q, null, utf8("cross"));
        assertArrayEquals(utf8("cross"), got.poll(5, TimeUnit.SECONDS));
    }
}
