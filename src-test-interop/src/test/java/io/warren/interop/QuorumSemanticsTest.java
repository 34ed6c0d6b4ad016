package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quorum queue semantics as RabbitMQ 3.10 has them (checked against a real 3.10.8 node; the suite
 * also runs against one): message TTL from x-message-ttl and per-message expiration (at the head,
 * dead-lettered with reason expired), x-expires, consumer priorities, single active consumer, and
 * reject-publish-dlx, which 3.10 accepts on a quorum queue but treats as drop-head.
 */
class QuorumSemanticsTest extends InteropTestBase {
    private static final long WAIT_S = 30;

    private record Delivery(String consumer, String body, AMQP.BasicProperties props, long tag) {
    }

    private static Map<String, Object> quorum(Object... more) {
        Map<String, Object> args = new HashMap<>();
        args.put("x-queue-type", "quorum");
        for (int i = 0; i < more.length; i += 2) {
            args.put((String) more[i], more[i + 1]);
        }
        return args;
    }

    private String declareQuorum(Object... more) throws IOException {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, quorum(more));
        return q;
    }

    private String declareDeadLetterQueue() throws IOException {
        String dlq = queueName("dead");
        ch.queueDeclare(dlq, false, false, false, null);
        return dlq;
    }

    private void publishConfirmed(String q, AMQP.BasicProperties props, String... bodies) throws Exception {
        Channel pub = conn.createChannel();
        pub.confirmSelect();
        for (String b : bodies) {
            pub.basicPublish("", q, props, b.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(pub.waitForConfirms(WAIT_S * 1000));
        pub.close();
    }

    private static String consume(Channel c, String q, String name, Map<String, Object> args,
                                  BlockingQueue<Delivery> into) throws IOException {
        return c.basicConsume(q, false, name, false, false, args, new DefaultConsumer(c) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                into.add(new Delivery(name, new String(body, StandardCharsets.UTF_8), props, env.getDeliveryTag()));
            }
        });
    }

    private static Delivery next(BlockingQueue<Delivery> q) throws InterruptedException {
        Delivery d = q.poll(WAIT_S, TimeUnit.SECONDS);
        assertNotNull(d, "no delivery within " + WAIT_S + " s");
        return d;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstDeath(AMQP.BasicProperties p) {
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) p.getHeaders().get("x-death");
        assertNotNull(deaths, "x-death");
        return deaths.get(0);
    }

    @Test
    void queueAndMessageTtlDeadLetterAtTheHeadWithReasonExpired() throws Exception {
        String dlq = declareDeadLetterQueue();
        String q = declareQuorum("x-message-ttl", 200, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq);
        publishConfirmed(q, null, "by-queue-ttl");
        publishConfirmed(q, new AMQP.BasicProperties.Builder().expiration("50").build(), "by-own-ttl");

        BlockingQueue<Delivery> dead = new LinkedBlockingQueue<>();
        consume(ch, dlq, "dl", null, dead);
        Delivery first = next(dead);
        Delivery second = next(dead);
        // the short-lived message waits behind the head, as RabbitMQ checks TTL at the head of a quorum queue
        assertEquals(List.of("by-queue-ttl", "by-own-ttl"), List.of(first.body(), second.body()));
        Map<String, Object> d1 = firstDeath(first.props());
        assertEquals("expired", d1.get("reason").toString());
        assertEquals(q, d1.get("queue").toString());
        assertFalse(d1.containsKey("original-expiration"));
        Map<String, Object> d2 = firstDeath(second.props());
        assertEquals("expired", d2.get("reason").toString());
        assertEquals("50", d2.get("original-expiration").toString());
        assertNull(second.props().getExpiration(), "the expiration property is removed when dead-lettered");
        assertEquals("expired", second.props().getHeaders().get("x-first-death-reason").toString());
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
    }

    @Test
    void aTtlZeroMessageReachesOnlyAConsumerThatIsWaiting() throws Exception {
        String dlq = declareDeadLetterQueue();
        String q = declareQuorum("x-message-ttl", 0, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq);
        Channel c = conn.createChannel();
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        String tag = consume(c, q, "waiting", null, got);
        publishConfirmed(q, null, "caught");
        Delivery d = next(got);
        assertEquals("caught", d.body());
        c.basicAck(d.tag(), false);
        c.basicCancel(tag);

        publishConfirmed(q, null, "nobody-waits");
        assertEquals("nobody-waits", new String(getOrFail(ch, dlq, true).getBody(), StandardCharsets.UTF_8));
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
    }

    @Test
    void aMessageHeldPastItsTtlIsDeadLetteredWhenReturnedNotRedelivered() throws Exception {
        String dlq = declareDeadLetterQueue();
        String q = declareQuorum("x-message-ttl", 300, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq);
        publishConfirmed(q, null, "held");
        GetResponse held = getOrFail(ch, q, false);
        // wait until a message published after it (same TTL) has expired: the held one is past its TTL too
        publishConfirmed(q, null, "marker");
        assertEquals("marker", new String(getOrFail(ch, dlq, true).getBody(), StandardCharsets.UTF_8));
        ch.basicNack(held.getEnvelope().getDeliveryTag(), false, true);
        GetResponse dead = getOrFail(ch, dlq, true);
        assertEquals("held", new String(dead.getBody(), StandardCharsets.UTF_8));
        assertEquals("expired", firstDeath(dead.getProps()).get("reason").toString());
        assertNull(ch.basicGet(q, true), "never redelivered");
    }

    @Test
    void anUnusedQueueIsDeletedAfterXExpiresOneWithAConsumerIsNot() throws Exception {
        String used = declareQuorum("x-expires", 1000);
        Channel c = conn.createChannel();
        consume(c, used, "keeps-it", null, new LinkedBlockingQueue<>());
        String unused = declareQuorum("x-expires", 1000); // declared after: expires later than `used` would
        long deadline = System.currentTimeMillis() + WAIT_S * 1000;
        boolean gone = false;
        // passive declares do not keep a quorum queue alive (RabbitMQ 3.10 does not count them as use)
        while (!gone && System.currentTimeMillis() < deadline) {
            Channel probe = conn.createChannel();
            try {
                probe.queueDeclarePassive(unused);
                probe.close();
                Thread.sleep(100);
            } catch (IOException e) {
                assertTrue(e.getCause().getMessage().contains("NOT_FOUND - no queue '" + unused + "'"), e.getCause().getMessage());
                gone = true;
            }
        }
        assertTrue(gone, unused + " was not deleted within " + WAIT_S + " s");
        assertEquals(1, ch.queueDeclarePassive(used).getConsumerCount(), "the queue with a consumer is still there");
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-expires' for queue 'zero' in vhost '/': {value_zero,0}",
                assertChannelError(406, ch, () -> ch.queueDeclare("zero", true, false, false, quorum("x-expires", 0))));
    }

    @Test
    void higherPriorityConsumersAreServedFirstWhileTheyHaveCredit() throws Exception {
        String q = declareQuorum();
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        Channel low = conn.createChannel();
        low.basicQos(10);
        consume(low, q, "low", Map.of("x-priority", 1), got);
        Channel high = conn.createChannel();
        high.basicQos(2);
        consume(high, q, "high", Map.of("x-priority", 5), got);
        publishConfirmed(q, null, "m0", "m1", "m2");
        Map<String, String> to = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            Delivery d = next(got);
            to.put(d.body(), d.consumer());
        }
        // round-robin would alternate; priority fills the high consumer's prefetch first
        assertEquals(Map.of("m0", "high", "m1", "high", "m2", "low"), to);
    }

    @Test
    void singleActiveConsumerReceivesAloneAndTheNextTakesOverOnCancel() throws Exception {
        String q = declareQuorum("x-single-active-consumer", true);
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        Channel first = conn.createChannel();
        String firstTag = consume(first, q, "first", null, got);
        Channel second = conn.createChannel();
        consume(second, q, "second", null, got);
        publishConfirmed(q, null, "a", "b", "c");
        for (String body : List.of("a", "b", "c")) {
            Delivery d = next(got);
            assertEquals(body + "@first", d.body() + "@" + d.consumer());
            first.basicAck(d.tag(), false);
        }
        assertEquals(1, ch.queueDeclarePassive(q).getConsumerCount(), "declare-ok counts the active one only (3.10)");
        first.basicCancel(firstTag);
        publishConfirmed(q, null, "d");
        Delivery d = next(got);
        assertEquals("d@second", d.body() + "@" + d.consumer());
        second.basicAck(d.tag(), false);

        // the active one closes its channel holding a message: it goes back, counted, to the next
        Channel third = conn.createChannel();
        consume(third, q, "third", null, got);
        publishConfirmed(q, null, "e");
        Delivery e = next(got);
        assertEquals("e@second", e.body() + "@" + e.consumer());
        second.close();
        Delivery again = next(got);
        assertEquals("e@third", again.body() + "@" + again.consumer());
        assertTrue(again.props().getHeaders() != null
                && ((Number) again.props().getHeaders().get("x-delivery-count")).longValue() == 1);
        third.basicAck(again.tag(), false);
    }

    @Test
    void rejectPublishDlxIsAcceptedAndDropsTheHeadAsRabbitMq310Does() throws Exception {
        String dlq = declareDeadLetterQueue();
        String q = declareQuorum("x-overflow", "reject-publish-dlx", "x-max-length", 1,
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq);
        publishConfirmed(q, null, "old", "new"); // both confirmed: nothing is refused
        GetResponse dead = getOrFail(ch, dlq, true);
        assertEquals("old", new String(dead.getBody(), StandardCharsets.UTF_8));
        assertEquals("maxlen", firstDeath(dead.getProps()).get("reason").toString());
        assertEquals("new", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.UTF_8));
    }
}
