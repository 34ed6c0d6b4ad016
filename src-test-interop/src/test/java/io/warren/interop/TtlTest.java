package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Message TTL (x-message-ttl, the expiration property, the lower wins, 0 = now or never) and queue TTL (x-expires),
 * for transient and durable queues (persistent messages in the durable case). An expired message is never delivered
 * nor returned by basic.get. Timing margins are wide: the machine is shared.
 */
class TtlTest extends InteropTestBase {

    private AMQP.BasicProperties props(boolean durable, String expiration) {
        return new AMQP.BasicProperties.Builder().deliveryMode(durable ? 2 : 1).expiration(expiration).build();
    }

    private String declare(boolean durable, Map<String, Object> args) throws IOException {
        String q = queueName();
        ch.queueDeclare(q, durable, false, false, args);
        return q;
    }

    private static Map<String, Object> ttl(long ms) {
        Map<String, Object> a = new HashMap<>();
        a.put("x-message-ttl", ms);
        return a;
    }

    /** Waits (up to 5 s) until the queue reports n ready messages. */
    private void awaitCount(String q, int n) throws Exception {
        awaitMessageCount(q, n);
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void queueTtlExpiresMessagesAndGetNeverReturnsThem(boolean durable) throws Exception {
        String q = declare(durable, ttl(300));
        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", q, props(durable, null), utf8("m" + i));
        }
        GetResponse first = ch.basicGet(q, true);
        assertNotNull(first, "still alive right after publishing");
        assertEquals("m0", str(first.getBody()));
        Thread.sleep(700);
        assertNull(ch.basicGet(q, true), "expired messages are not returned by basic.get");
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void perMessageExpirationAndTheLowerTtlWins(boolean durable) throws Exception {
        String q = declare(durable, ttl(400));
        ch.basicPublish("", q, props(durable, "100"), utf8("message ttl lower"));
        ch.basicPublish("", q, props(durable, "60000"), utf8("queue ttl lower"));
        String plain = declare(durable, null);
        ch.basicPublish("", plain, props(durable, "100"), utf8("short"));
        ch.basicPublish("", plain, props(durable, "60000"), utf8("long"));
        Thread.sleep(250);
        awaitCount(plain, 1);
        GetResponse r = ch.basicGet(plain, true);
        assertEquals("long", str(r.getBody()));
        assertEquals("60000", r.getProps().getExpiration(), "the expiration property is delivered unchanged");
        GetResponse survivor = ch.basicGet(q, true);
        assertNotNull(survivor);
        assertEquals("queue ttl lower", str(survivor.getBody()));
        ch.basicPublish("", q, props(durable, "60000"), utf8("goes with the queue ttl"));
        Thread.sleep(800);
        assertNull(ch.basicGet(q, true));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void ttlZeroReachesOnlyAConsumerThatIsWaiting(boolean durable) throws Exception {
        String q = declare(durable, ttl(0));
        ch.basicPublish("", q, props(durable, null), utf8("nobody waits"));
        Thread.sleep(100);
        assertNull(ch.basicGet(q, true), "TTL 0 without a consumer: gone");
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        Channel c = conn.createChannel();
        c.basicConsume(q, true, (t, d) -> got.add(str(d.getBody())), t -> { });
        ch.basicPublish("", q, props(durable, null), utf8("for the consumer"));
        assertEquals("for the consumer", got.poll(5, TimeUnit.SECONDS));
        // per-message expiration 0 works the same on a queue without TTL
        String plain = declare(durable, null);
        ch.basicPublish("", plain, props(durable, "0"), utf8("x"));
        Thread.sleep(100);
        assertNull(ch.basicGet(plain, true));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void unackedMessagesDoNotExpireButARequeuedOneThatExpiredIsNotRedelivered(boolean durable) throws Exception {
        String q = declare(durable, ttl(300));
        ch.basicPublish("", q, props(durable, null), utf8("held"));
        GetResponse r = getOrFail(ch, q, false);
        Thread.sleep(600);
        ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
        Thread.sleep(100);
        assertNull(ch.basicGet(q, true), "it kept its deadline, which has passed");
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void consumerNeverSeesAnExpiredMessage(boolean durable) throws Exception {
        String q = declare(durable, null);
        Channel c = conn.createChannel();
        c.basicQos(1);
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
        ch.basicPublish("", q, props(durable, null), utf8("first"));
        Delivery first = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(first);
        ch.basicPublish("", q, props(durable, "200"), utf8("short-lived"));
        ch.basicPublish("", q, props(durable, null), utf8("last"));
        Thread.sleep(500);
        c.basicAck(first.getEnvelope().getDeliveryTag(), false);
        Delivery next = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(next);
        assertEquals("last", str(next.getBody()));
        c.basicAck(next.getEnvelope().getDeliveryTag(), false);
        assertNull(got.poll(200, TimeUnit.MILLISECONDS));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void unusedQueueExpires(boolean durable) throws Exception {
        Map<String, Object> a = new HashMap<>();
        a.put("x-expires", 600);
        String q = declare(durable, a);
        ch.basicPublish("", q, props(durable, null), utf8("messages do not keep it alive"));
        assertTrue(exists(q));
        awaitGone(q, 4000);
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void declareGetAndConsumeKeepTheQueueAlive(boolean durable) throws Exception {
        Map<String, Object> a = new HashMap<>();
        a.put("x-expires", 1000);
        String q = declare(durable, a);
        for (int i = 0; i < 5; i++) { // 2 s of passive declares, a redeclare and gets, 400 ms apart
            Thread.sleep(400);
            switch (i % 3) {
                case 0 -> ch.queueDeclarePassive(q);
                case 1 -> ch.queueDeclare(q, durable, false, false, a);
                default -> ch.basicGet(q, true);
            }
        }
        Channel c = conn.createChannel();
        String tag = c.basicConsume(q, true, (t, d) -> { }, t -> { });
        Thread.sleep(1500); // a consumer keeps it in use however long
        assertTrue(exists(q));
        c.basicCancel(tag); // the countdown starts again now
        awaitGone(q, 4000);
    }

    /**
     * Waits until the queue is gone; fails if it is still there after {@code ms}. Looks with mandatory publishes
     * (returned once the queue is gone): a declare, even passive, would count as a use and restart x-expires.
     */
    private void awaitGone(String q, long ms) throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < deadline) {
            if (!exists(q)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("queue " + q + " still exists after " + ms + " ms");
    }

    private boolean exists(String q) throws Exception {
        Channel c = conn.createChannel();
        AtomicBoolean returned = new AtomicBoolean();
        c.addReturnListener(r -> returned.set(true));
        c.confirmSelect();
        c.basicPublish("", q, true, null, new byte[0]);
        c.waitForConfirmsOrDie(5_000); // a return comes before the confirm
        c.close();
        return !returned.get();
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void manyMessagesWithMixedTtlsAllExpire(boolean durable) throws Exception {
        String q = declare(durable, ttl(800));
        for (int i = 0; i < 200; i++) {
            String exp = List.of("50", "300", "5000", "100").get(i % 4);
            ch.basicPublish("", q, props(durable, i % 5 == 0 ? null : exp), utf8("m" + i));
        }
        Thread.sleep(1300);
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
        assertNull(ch.basicGet(q, true));
        assertTrue(ch.isOpen());
    }
}
