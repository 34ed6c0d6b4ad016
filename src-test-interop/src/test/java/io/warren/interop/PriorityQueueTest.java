package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
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

/**
 * Priority queues (x-max-priority): higher priorities first, FIFO within a priority, priorities above the maximum
 * ordered as the maximum while the delivered property stays unchanged, no priority = 0; with prefetch, requeue
 * (back to the original place within its priority), TTL and length limits; transient and durable.
 */
class PriorityQueueTest extends InteropTestBase {

    private String declare(boolean durable, int max) throws IOException {
        String q = queueName();
        ch.queueDeclare(q, durable, false, false, Map.of("x-max-priority", max));
        return q;
    }

    private void publish(String q, boolean durable, Integer priority, String body) throws IOException {
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().deliveryMode(durable ? 2 : 1).priority(priority).build(),
                utf8(body));
    }

    private List<String> drainAll(String q) throws IOException {
        List<String> out = new ArrayList<>();
        for (GetResponse r; (r = ch.basicGet(q, true)) != null; ) {
            out.add(str(r.getBody()));
        }
        return out;
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void higherPrioritiesFirstAndFifoWithinOne(boolean durable) throws Exception {
        String q = declare(durable, 10);
        publish(q, durable, 1, "p1-a");
        publish(q, durable, 5, "p5-a");
        publish(q, durable, null, "none");
        publish(q, durable, 5, "p5-b");
        publish(q, durable, 10, "p10");
        publish(q, durable, 0, "p0");
        publish(q, durable, 1, "p1-b");
        awaitMessageCount(q, 7);
        assertEquals(List.of("p10", "p5-a", "p5-b", "p1-a", "p1-b", "none", "p0"), drainAll(q));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void prioritiesAboveTheMaximumCountAsTheMaximumButAreDeliveredUnchanged(boolean durable) throws Exception {
        String q = declare(durable, 5);
        publish(q, durable, 9, "nine");
        publish(q, durable, 5, "five");
        publish(q, durable, 7, "seven");
        publish(q, durable, 4, "four");
        awaitMessageCount(q, 4);
        List<Integer> priorities = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (GetResponse r; (r = ch.basicGet(q, true)) != null; ) {
            bodies.add(str(r.getBody()));
            priorities.add(r.getProps().getPriority());
        }
        assertEquals(List.of("nine", "five", "seven", "four"), bodies);
        assertEquals(List.of(9, 5, 7, 4), priorities);
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void aConsumerWithPrefetchGetsTheUrgentMessageNext(boolean durable) throws Exception {
        String q = declare(durable, 10);
        Channel c = conn.createChannel();
        c.basicQos(1);
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
        publish(q, durable, 1, "bulk-0");
        Delivery first = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(first);
        for (int i = 1; i <= 3; i++) {
            publish(q, durable, 1, "bulk-" + i);
        }
        publish(q, durable, 9, "urgent");
        awaitMessageCount(q, 4);
        List<String> order = new ArrayList<>();
        Delivery d = first;
        for (int i = 0; i < 5; i++) {
            order.add(str(d.getBody()));
            c.basicAck(d.getEnvelope().getDeliveryTag(), false);
            if (i < 4) {
                d = got.poll(5, TimeUnit.SECONDS);
                assertNotNull(d, "delivery " + (i + 2));
            }
        }
        assertEquals(List.of("bulk-0", "urgent", "bulk-1", "bulk-2", "bulk-3"), order);
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void requeuedMessagesGoBackToTheirPlaceWithinTheirPriority(boolean durable) throws Exception {
        String q = declare(durable, 10);
        publish(q, durable, 3, "low-1");
        publish(q, durable, 7, "high-1");
        publish(q, durable, 7, "high-2");
        publish(q, durable, 3, "low-2");
        publish(q, durable, 7, "high-3");
        awaitMessageCount(q, 5);
        GetResponse h1 = getOrFail(ch, q, false);
        GetResponse h2 = getOrFail(ch, q, false);
        GetResponse h3 = getOrFail(ch, q, false);
        GetResponse l1 = getOrFail(ch, q, false);
        assertEquals(List.of("high-1", "high-2", "high-3", "low-1"),
                List.of(str(h1.getBody()), str(h2.getBody()), str(h3.getBody()), str(l1.getBody())));
        publish(q, durable, 7, "high-4");
        ch.basicNack(l1.getEnvelope().getDeliveryTag(), false, true);
        ch.basicNack(h2.getEnvelope().getDeliveryTag(), false, true);
        ch.basicNack(h1.getEnvelope().getDeliveryTag(), false, true);
        List<String> order = new ArrayList<>();
        List<Boolean> redelivered = new ArrayList<>();
        for (GetResponse r; (r = ch.basicGet(q, false)) != null; ) {
            order.add(str(r.getBody()));
            redelivered.add(r.getEnvelope().isRedeliver());
        }
        assertEquals(List.of("high-1", "high-2", "high-4", "low-1", "low-2"), order);
        assertEquals(List.of(true, true, false, true, false), redelivered);
        ch.basicAck(0, true);
    }

    @Test
    void withTtlAndALengthLimit() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, Map.of("x-max-priority", 10, "x-max-length", 3));
        publish(q, false, 1, "low");
        publish(q, false, 9, "high");
        publish(q, false, 5, "mid");
        publish(q, false, 9, "high-2"); // over the limit: the head (the next to deliver) is dropped
        awaitMessageCount(q, 3);
        assertEquals(List.of("high-2", "mid", "low"), drainAll(q));

        String t = queueName("ttl");
        ch.queueDeclare(t, false, false, false, Map.of("x-max-priority", 10));
        ch.basicPublish("", t, new AMQP.BasicProperties.Builder().priority(8).expiration("100").build(), utf8("fleeting"));
        ch.basicPublish("", t, new AMQP.BasicProperties.Builder().priority(1).build(), utf8("lasting"));
        Thread.sleep(400);
        assertEquals(List.of("lasting"), drainAll(t));
        // Published after a lower priority, an expired message is still handed out by RabbitMQ 3.10 (it checks
        // the oldest message only). Warren never hands out an expired message.
        ch.basicPublish("", t, new AMQP.BasicProperties.Builder().priority(1).build(), utf8("lasting"));
        ch.basicPublish("", t, new AMQP.BasicProperties.Builder().priority(8).expiration("100").build(), utf8("fleeting"));
        Thread.sleep(400);
        if (!WarrenBroker.external()) {
            assertEquals(List.of("lasting"), drainAll(t));
        }
    }

    @Test
    void aQueueWithoutMaxPriorityIgnoresPriorities() throws Exception {
        String q = declareQueue();
        publish(q, false, 1, "first");
        publish(q, false, 9, "second");
        awaitMessageCount(q, 2);
        assertEquals(List.of("first", "second"), drainAll(q));
        assertNull(ch.basicGet(q, true));
        assertTrue(ch.isOpen());
    }
}
