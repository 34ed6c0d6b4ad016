package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channel-wide prefetch (basic.qos global=true) as RabbitMQ 3.10's limiter applies it: no-ack consumers
 * wait while the limit is used up, unacked basic.get deliveries count once the limit is switched on,
 * and credit freed by acks reaches every queue the channel consumes from.
 */
class GlobalPrefetchTest extends InteropTestBase {

    private String queueWith(String hint, int n) throws Exception {
        String q = queueName(hint);
        ch.queueDeclare(q, false, false, false, null);
        for (int i = 1; i <= n; i++) {
            ch.basicPublish("", q, null, utf8(hint + i));
        }
        awaitMessageCount(q, n);
        return q;
    }

    private static Delivery next(BlockingQueue<Delivery> got) throws InterruptedException {
        Delivery d = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(d, "a delivery within 5 s");
        return d;
    }

    /**
     * A queue answers queue.declare only after it tried to deliver what it holds, so its ready count
     * right after a consume or publish shows what the consumers could not take.
     */
    private static void assertReady(Channel c, String q, int n) throws Exception {
        assertEquals(n, c.messageCount(q), "ready in " + q);
    }

    @Test
    void noAckConsumerWaitsWhileTheChannelLimitIsUsedUp() throws Exception {
        String acked = queueWith("a", 2);
        String free = queueWith("n", 2);
        Channel c = conn.createChannel();
        c.basicQos(2, true);
        BlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
        c.basicConsume(acked, false, (t, d) -> a.add(d), t -> { });
        next(a);
        Delivery second = next(a);
        assertReady(c, acked, 0);

        BlockingQueue<Delivery> n = new LinkedBlockingQueue<>();
        c.basicConsume(free, true, (t, d) -> n.add(d), t -> { });
        assertReady(c, free, 2); // the no-ack consumer gets nothing: the channel's limit is used up
        ch.basicPublish("", free, null, utf8("n3"));
        awaitMessageCount(free, 3);
        assertTrue(n.isEmpty(), "no-ack deliveries while the limit is used up: " + n);

        c.basicAck(second.getEnvelope().getDeliveryTag(), true);
        // the limit is free again: the no-ack consumer takes all three (more than the limit of 2:
        // no-ack deliveries do not count against it)
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bodies.add(str(next(n).getBody()));
        }
        assertEquals(List.of("n1", "n2", "n3"), bodies);
        assertReady(c, free, 0);
    }

    @Test
    void noAckDeliveriesDoNotUseUpTheLimit() throws Exception {
        String free = queueWith("n", 5);
        String acked = queueWith("a", 5);
        Channel c = conn.createChannel();
        c.basicQos(2, true);
        BlockingQueue<Delivery> n = new LinkedBlockingQueue<>();
        c.basicConsume(free, true, (t, d) -> n.add(d), t -> { });
        for (int i = 0; i < 5; i++) {
            next(n);
        }
        BlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
        c.basicConsume(acked, false, (t, d) -> a.add(d), t -> { });
        next(a);
        next(a);
        assertReady(c, acked, 3);
    }

    @Test
    void unackedGetsCountOnceTheLimitIsSwitchedOn() throws Exception {
        String q = queueWith("g", 10);
        Channel c = conn.createChannel();
        GetResponse g1 = getOrFail(c, q, false);
        GetResponse g2 = getOrFail(c, q, false);
        assertEquals("g2", str(g2.getBody()));
        c.basicQos(3, true); // the channel already has 2 unacked: room for 1 more
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
        Delivery d1 = next(got);
        assertEquals("g3", str(d1.getBody()));
        assertReady(c, q, 7);

        c.basicAck(g2.getEnvelope().getDeliveryTag(), true); // acks of basic.get deliveries free nothing
        assertReady(c, q, 7);
        assertTrue(got.isEmpty(), "no delivery after acking the gets: " + got);

        c.basicAck(d1.getEnvelope().getDeliveryTag(), false); // a consumer's ack does
        assertEquals("g4", str(next(got).getBody()));
        assertReady(c, q, 6);
        assertNotNull(g1);
    }

    @Test
    void freedCreditReachesEveryQueueInTurn() throws Exception {
        int queues = 4;
        int perQueue = 60;
        int observed = 80;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            names.add(queueWith("f" + i + "-", perQueue));
        }
        Channel c = conn.createChannel();
        c.basicQos(2, true);
        BlockingQueue<String> order = new LinkedBlockingQueue<>();
        for (int i = 0; i < queues; i++) {
            String label = Integer.toString(i);
            c.basicConsume(names.get(i), false, (t, d) -> {
                order.add(label);
                c.basicAck(d.getEnvelope().getDeliveryTag(), false);
            }, t -> { });
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < observed; i++) {
            String s = order.poll(5, TimeUnit.SECONDS);
            assertNotNull(s, "delivery " + (i + 1) + " of " + observed + " (so far " + String.join("", seen) + ")");
            seen.add(s);
        }
        // every queue is served in the first half and still in the second: none starves
        for (List<String> half : List.of(seen.subList(0, observed / 2), seen.subList(observed / 2, observed))) {
            Map<String, Integer> perQueueCount = new TreeMap<>();
            half.forEach(s -> perQueueCount.merge(s, 1, Integer::sum));
            assertEquals(queues, perQueueCount.size(), "every queue served: " + String.join("", seen));
        }
    }
}
