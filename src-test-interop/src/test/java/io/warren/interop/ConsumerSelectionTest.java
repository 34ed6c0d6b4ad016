package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
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
 * Which consumer gets a message: single active consumer (x-single-active-consumer: the first registered gets
 * everything, the next in registration order takes over when it goes, with the messages it left unacked) and
 * consumer priorities (x-priority: the highest with credit gets it; equals share round-robin), for transient and
 * durable queues.
 */
class ConsumerSelectionTest extends InteropTestBase {
    private static final long QUIET_MS = 300;

    private String declare(boolean durable, Map<String, Object> args) throws IOException {
        String q = queueName();
        ch.queueDeclare(q, durable, false, false, args);
        return q;
    }

    private void publish(String q, int n, String prefix) throws IOException {
        for (int i = 0; i < n; i++) {
            ch.basicPublish("", q, null, utf8(prefix + i));
        }
    }

    private static List<String> take(BlockingQueue<Delivery> got, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Delivery d = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(d, "delivery " + (i + 1) + " of " + n);
            out.add(str(d.getBody()));
        }
        return out;
    }

    private static String consume(Channel c, String q, boolean autoAck, Map<String, Object> args,
                                  BlockingQueue<Delivery> into) throws IOException {
        return c.basicConsume(q, autoAck, args == null ? Map.of() : args, (t, d) -> into.add(d), t -> { });
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void singleActiveConsumerHandsOverInRegistrationOrder(boolean durable) throws Exception {
        String q = declare(durable, Map.of("x-single-active-consumer", true));
        Channel ca = conn.createChannel();
        Channel cb = conn.createChannel();
        Channel cc = conn.createChannel();
        BlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> b = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> c = new LinkedBlockingQueue<>();
        String ta = consume(ca, q, true, null, a);
        String tb = consume(cb, q, true, Map.of("x-priority", 10), b); // priorities do not pick the active one
        consume(cc, q, true, null, c);
        publish(q, 3, "a");
        assertEquals(List.of("a0", "a1", "a2"), take(a, 3));
        assertNull(b.poll(QUIET_MS, TimeUnit.MILLISECONDS));
        ca.basicCancel(ta);
        publish(q, 2, "b");
        assertEquals(List.of("b0", "b1"), take(b, 2));
        cb.basicCancel(tb);
        publish(q, 1, "c");
        assertEquals(List.of("c0"), take(c, 1));
        assertNull(a.poll(QUIET_MS, TimeUnit.MILLISECONDS));
        assertNull(b.poll(1, TimeUnit.MILLISECONDS));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void theNextActiveConsumerGetsWhatTheLastOneLeftUnacked(boolean durable) throws Exception {
        String q = declare(durable, Map.of("x-single-active-consumer", true));
        Channel ca = conn.createChannel();
        ca.basicQos(2);
        Channel cb = conn.createChannel();
        BlockingQueue<Delivery> a = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> b = new LinkedBlockingQueue<>();
        consume(ca, q, false, null, a);
        consume(cb, q, false, null, b);
        publish(q, 4, "m");
        assertEquals(List.of("m0", "m1"), take(a, 2));
        assertNull(b.poll(QUIET_MS, TimeUnit.MILLISECONDS), "the second waits while the first is active");
        ca.close(); // unacked m0, m1 go back, in order, and the second consumer takes over
        List<Delivery> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Delivery d = b.poll(5, TimeUnit.SECONDS);
            assertNotNull(d);
            got.add(d);
        }
        assertEquals(List.of("m0", "m1", "m2", "m3"), got.stream().map(d -> str(d.getBody())).toList());
        assertEquals(List.of(true, true, false, false), got.stream().map(d -> d.getEnvelope().isRedeliver()).toList());
        cb.basicAck(got.get(3).getEnvelope().getDeliveryTag(), true);
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void lowerPriorityConsumersGetMessagesOnlyWhenHigherOnesAreFull(boolean durable) throws Exception {
        String q = declare(durable, null);
        Channel high = conn.createChannel();
        high.basicQos(2);
        Channel low = conn.createChannel();
        BlockingQueue<Delivery> h = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> l = new LinkedBlockingQueue<>();
        consume(low, q, false, Map.of("x-priority", -5), l);
        consume(high, q, false, Map.of("x-priority", 5), h);
        publish(q, 5, "m");
        assertEquals(List.of("m0", "m1"), take(h, 2));
        assertEquals(List.of("m2", "m3", "m4"), take(l, 3));
        assertNull(h.poll(QUIET_MS, TimeUnit.MILLISECONDS));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void equalPrioritiesShareRoundRobinAboveTheDefault(boolean durable) throws Exception {
        String q = declare(durable, null);
        BlockingQueue<Delivery> x = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> y = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> base = new LinkedBlockingQueue<>();
        consume(conn.createChannel(), q, true, null, base);
        consume(conn.createChannel(), q, true, Map.of("x-priority", 3), x);
        consume(conn.createChannel(), q, true, Map.of("x-priority", 3L), y);
        publish(q, 6, "m");
        assertEquals(List.of("m0", "m2", "m4"), take(x, 3));
        assertEquals(List.of("m1", "m3", "m5"), take(y, 3));
        assertNull(base.poll(QUIET_MS, TimeUnit.MILLISECONDS));
        assertTrue(ch.isOpen());
    }
}
