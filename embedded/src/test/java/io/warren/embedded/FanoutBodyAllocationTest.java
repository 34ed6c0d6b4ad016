package io.warren.embedded;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A published body is held once, however many queues it is routed to: a fan-out to ten queues, each with a
 * consumer, allocates about one body's worth of heap per published message on the broker's event loops (the
 * copy out of the socket's buffer), not ten. Deliveries write the shared body into each connection's pooled
 * outbound buffer (off-heap), so they add no heap either. A broker that copied the body per queue or per
 * delivery would allocate ten bodies per message and fail here.
 *
 * <p>Measured with {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, summed over the broker's
 * Netty event-loop threads (the client uses its own, differently named threads), after a warm-up so the
 * JIT's and the pools' one-time allocations are not counted.
 */
class FanoutBodyAllocationTest {
    private static final int QUEUES = 10;
    private static final int BODY = 64 * 1024;
    private static final int SMALL = 1024;
    private static final int MESSAGES = 300;
    private static final long TIMEOUT_SECONDS = 60;

    @Test
    void aFanOutToTenQueuesAllocatesTheBodyOncePerMessage() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        enableAllocationCounting(threads);
        try (EmbeddedWarren warren = EmbeddedWarren.builder().start()) {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(warren.amqpUri());
            try (Connection consuming = f.newConnection("consumer"); Connection publishing = f.newConnection("publisher")) {
                Channel cc = consuming.createChannel();
                cc.exchangeDeclare("alloc.fanout", BuiltinExchangeType.FANOUT);
                Semaphore delivered = new Semaphore(0);
                AtomicBoolean intact = new AtomicBoolean(true);
                byte[] body = new byte[BODY];
                Arrays.fill(body, (byte) 'w');
                for (int i = 0; i < QUEUES; i++) {
                    String q = "alloc.q" + i;
                    cc.queueDeclare(q, false, true, true, null);
                    cc.queueBind(q, "alloc.fanout", "");
                    cc.basicConsume(q, true, new DefaultConsumer(cc) {
                        @Override
                        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] got) {
                            intact.compareAndSet(true, got.length == SMALL
                                    ? Arrays.equals(body, 0, SMALL, got, 0, SMALL) : Arrays.equals(body, got));
                            delivered.release();
                        }
                    });
                }
                Channel pc = publishing.createChannel();
                byte[] small = Arrays.copyOf(body, SMALL);
                publishAndAwait(pc, body, delivered); // warm-up: JIT, pools, buffers sized
                publishAndAwait(pc, small, delivered);
                // the leak detector (paranoid in the tests) records a stack trace per buffer access, which would
                // swamp the count: it watches the warm-up above and is off only while counting
                ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
                long smallBytes;
                long largeBytes;
                ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
                try {
                    long before = brokerLoopAllocatedBytes(threads);
                    publishAndAwait(pc, small, delivered);
                    smallBytes = brokerLoopAllocatedBytes(threads) - before;
                    before = brokerLoopAllocatedBytes(threads);
                    publishAndAwait(pc, body, delivered);
                    largeBytes = brokerLoopAllocatedBytes(threads) - before;
                } finally {
                    ResourceLeakDetector.setLevel(level);
                }
                // what the larger body costs per message beyond the smaller one: the per-message and
                // per-delivery bookkeeping (and the leak detector's records, in paranoid mode) cancel out
                long perMessage = (largeBytes - smallBytes) / MESSAGES;

                assertTrue(intact.get(), "every delivery carried the published body");
                assertTrue(perMessage >= (BODY - SMALL) / 2, "the measurement sees the broker's loops: " + perMessage + " B/msg");
                assertTrue(perMessage < 2L * (BODY - SMALL), "heap allocated on the broker's loops per message fanned out to "
                        + QUEUES + " queues, for " + (BODY - SMALL) + " more body bytes: " + perMessage
                        + " B (one copy, not one per queue)");
            }
        }
    }

    private static void publishAndAwait(Channel pc, byte[] body, Semaphore delivered) throws Exception {
        for (int i = 0; i < MESSAGES; i++) {
            pc.basicPublish("alloc.fanout", "", null, body);
        }
        assertTrue(delivered.tryAcquire(MESSAGES * QUEUES, TIMEOUT_SECONDS, TimeUnit.SECONDS),
                "every message reached every queue's consumer");
    }

    /** Heap allocated so far by the threads of the broker's Netty event loops (the embedded broker's only ones). */
    private static long brokerLoopAllocatedBytes(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("EventLoopGroup")) {
                long b = threads.getThreadAllocatedBytes(t.getId());
                if (b > 0) {
                    sum += b;
                }
            }
        }
        return sum;
    }

    private static void enableAllocationCounting(com.sun.management.ThreadMXBean threads) {
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM counts allocated bytes per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
    }
}
