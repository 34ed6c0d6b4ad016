package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** basic.qos per consumer and per channel, and fair round-robin dispatch. */
class QosTest extends InteropTestBase {

    private static final long QUIET_MS = 300;

    private String queueWith(int n) throws Exception {
        String q = declareQueue();
        for (int i = 1; i <= n; i++) {
            ch.basicPublish("", q, null, utf8(Integer.toString(i)));
        }
        awaitMessageCount(q, n);
        return q;
    }

    private static List<Delivery> drain(BlockingQueue<Delivery> got, int expected) throws InterruptedException {
        List<Delivery> out = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            Delivery d = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(d, "delivery " + (i + 1) + " of " + expected);
            out.add(d);
        }
        assertNull(got.poll(QUIET_MS, TimeUnit.MILLISECONDS), "no more than " + expected + " deliveries");
        return out;
    }

    @Test
    void prefetchCountLimitsUnackedDeliveriesPerConsumer() throws Exception {
        String q = queueWith(10);
        Channel c = conn.createChannel();
        c.basicQos(2);
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
        List<Delivery> first = drain(got, 2);
        assertEquals(List.of("1", "2"), first.stream().map(d -> str(d.getBody())).toList());
        c.basicAck(first.get(0).getEnvelope().getDeliveryTag(), false);
        assertEquals("3", str(drain(got, 1).get(0).getBody()));
        c.basicAck(first.get(1).getEnvelope().getDeliveryTag() + 1, true); // acks 2 and 3
        List<Delivery> next = drain(got, 2);
        assertEquals(List.of("4", "5"), next.stream().map(d -> str(d.getBody())).toList());
        assertEquals(5, ch.messageCount(q));
    }

    @Test
    void perConsumerPrefetchAppliesToEachConsumerOfTheChannel() throws Exception {
        String q = queueWith(10);
        Channel c = conn.createChannel();
        c.basicQos(2, false);
        BlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> b = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, (t, d) -> a.add(d), t -> { });
        c.basicConsume(q, false, (t, d) -> b.add(d), t -> { });
        drain(a, 2);
        drain(b, 2);
        assertEquals(6, ch.messageCount(q));
    }

    @Test
    void globalPrefetchIsSharedByTheChannel() throws Exception {
        String q = queueWith(10);
        Channel c = conn.createChannel();
        c.basicQos(3, true);
        BlockingQueue<Delivery> all = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, (t, d) -> all.add(d), t -> { });
        c.basicConsume(q, false, (t, d) -> all.add(d), t -> { });
        List<Delivery> got = drain(all, 3);
        assertEquals(7, ch.messageCount(q));
        c.basicAck(got.get(2).getEnvelope().getDeliveryTag(), true);
        drain(all, 3);
    }

    /** Starts n consumers on a fresh channel after the given qos calls; returns each one's delivery count. */
    private List<Integer> deliveredPerConsumer(String q, int n, Runnable qos, Channel c) throws Exception {
        List<BlockingQueue<Delivery>> consumers = new ArrayList<>();
        qos.run();
        for (int i = 0; i < n; i++) {
            BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
            consumers.add(got);
            c.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
        }
        Thread.sleep(QUIET_MS);
        long before;
        do { // wait until deliveries stop
            before = consumers.stream().mapToInt(BlockingQueue::size).sum();
            Thread.sleep(QUIET_MS);
        } while (consumers.stream().mapToInt(BlockingQueue::size).sum() != before);
        return consumers.stream().map(BlockingQueue::size).toList();
    }

    private Runnable qos(Channel c, int count, boolean global) {
        return () -> {
            try {
                c.basicQos(count, global);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    @Test
    void perConsumerThenGlobalLimitsApplyTogether() throws Exception {
        String q = queueWith(30);
        Channel c = conn.createChannel();
        List<Integer> got = deliveredPerConsumer(q, 5, () -> {
            qos(c, 2, false).run();
            qos(c, 5, true).run();
        }, c);
        assertEquals(5, got.stream().mapToInt(Integer::intValue).sum(), "5 for the channel: " + got);
        assertTrue(got.stream().allMatch(n -> n <= 2), "at most 2 per consumer: " + got);
        assertEquals(25, ch.messageCount(q));
    }

    @Test
    void perConsumerQosAfterGlobalClearsTheChannelLimit() throws Exception {
        // RabbitMQ: "if default was set to global, it gets cleared" by a later global=false qos
        String q = queueWith(30);
        Channel c = conn.createChannel();
        List<Integer> got = deliveredPerConsumer(q, 5, () -> {
            qos(c, 5, true).run();
            qos(c, 2, false).run();
        }, c);
        assertEquals(List.of(2, 2, 2, 2, 2), got);
    }

    @Test
    void laterGlobalQosReplacesTheEarlierOne() throws Exception {
        String q = queueWith(30);
        Channel c = conn.createChannel();
        List<Integer> got = deliveredPerConsumer(q, 3, () -> {
            qos(c, 3, true).run();
            qos(c, 7, true).run();
        }, c);
        assertEquals(7, got.stream().mapToInt(Integer::intValue).sum(), got.toString());
    }

    @Test
    void prefetchOnlyAffectsConsumersCreatedAfterIt() throws Exception {
        String q = queueWith(10);
        Channel c = conn.createChannel();
        c.basicQos(1);
        BlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, (t, d) -> a.add(d), t -> { });
        drain(a, 1);
        c.basicQos(3);
        BlockingQueue<Delivery> b = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, (t, d) -> b.add(d), t -> { });
        drain(b, 3);
        assertNull(a.poll(QUIET_MS, TimeUnit.MILLISECONDS), "the first consumer keeps its limit of 1");
        assertEquals(6, ch.messageCount(q));
    }

    @Test
    void prefetchDoesNotLimitBasicGet() throws Exception {
        String q = queueWith(5);
        ch.basicQos(1);
        for (int i = 1; i <= 5; i++) {
            assertEquals(Integer.toString(i), str(getOrFail(ch, q, false).getBody()));
        }
    }

    @Test
    void prefetchDoesNotLimitNoAckConsumers() throws Exception {
        String q = queueWith(10);
        Channel c = conn.createChannel();
        c.basicQos(1);
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        c.basicConsume(q, true, (t, d) -> got.add(d), t -> { });
        drain(got, 10);
    }

    @Test
    void prefetchSizeIsNotImplemented() {
        String text = assertConnectionError(540, conn, () -> ch.basicQos(1024, 0, false));
        assertEquals("NOT_IMPLEMENTED - prefetch_size!=0 (1024)", text);
    }

    @Test
    void roundRobinBetweenTwoConsumersIsExact() throws Exception {
        String q = declareQueue();
        Channel c = conn.createChannel();
        BlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> b = new LinkedBlockingQueue<>();
        c.basicConsume(q, true, (t, d) -> a.add(d), t -> { });
        c.basicConsume(q, true, (t, d) -> b.add(d), t -> { });
        for (int i = 1; i <= 10; i++) {
            ch.basicPublish("", q, null, utf8(Integer.toString(i)));
        }
        assertEquals(List.of("1", "3", "5", "7", "9"), drain(a, 5).stream().map(d -> str(d.getBody())).toList());
        assertEquals(List.of("2", "4", "6", "8", "10"), drain(b, 5).stream().map(d -> str(d.getBody())).toList());
    }

    @Test
    void roundRobinAcrossConnections() throws Exception {
        String q = declareQueue();
        List<BlockingQueue<Delivery>> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BlockingQueue<Delivery> g = new LinkedBlockingQueue<>();
            got.add(g);
            newConnection().createChannel().basicConsume(q, true, (t, d) -> g.add(d), t -> { });
        }
        for (int i = 0; i < 9; i++) {
            ch.basicPublish("", q, null, utf8(Integer.toString(i)));
        }
        for (int i = 0; i < 3; i++) {
            int k = i;
            assertEquals(List.of(Integer.toString(k), Integer.toString(k + 3), Integer.toString(k + 6)),
                    drain(got.get(i), 3).stream().map(d -> str(d.getBody())).toList());
        }
    }

    @Test
    void fullConsumerIsSkipped() throws Exception {
        String q = declareQueue();
        Channel slowCh = conn.createChannel();
        slowCh.basicQos(1);
        BlockingQueue<Delivery> slow = new LinkedBlockingQueue<>();
        slowCh.basicConsume(q, false, (t, d) -> slow.add(d), t -> { });
        Channel fastCh = conn.createChannel();
        BlockingQueue<Delivery> fast = new LinkedBlockingQueue<>();
        fastCh.basicConsume(q, true, (t, d) -> fast.add(d), t -> { });
        for (int i = 1; i <= 6; i++) {
            ch.basicPublish("", q, null, utf8(Integer.toString(i)));
        }
        assertEquals(List.of("1"), drain(slow, 1).stream().map(d -> str(d.getBody())).toList());
        assertEquals(List.of("2", "3", "4", "5", "6"), drain(fast, 5).stream().map(d -> str(d.getBody())).toList());
    }

    @Test
    void singleActiveConsumerArgumentIsAccepted() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, Map.of("x-single-active-consumer", true));
        BlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> b = new LinkedBlockingQueue<>();
        conn.createChannel().basicConsume(q, true, (t, d) -> a.add(d), t -> { });
        conn.createChannel().basicConsume(q, true, (t, d) -> b.add(d), t -> { });
        for (int i = 0; i < 4; i++) {
            ch.basicPublish("", q, null, utf8(Integer.toString(i)));
        }
        drain(a, 4);
        assertNull(b.poll(QUIET_MS, TimeUnit.MILLISECONDS));
    }
}
