package io.warren.broker.model;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A queue hands deliveries to its consumers after releasing its lock, in the order it picked them: a
 * consumer's channel may then call into any queue (requeue, dead-letter, resume) without a lock-ordering
 * hazard between queues.
 */
class QueueHandOffTest {
    private final VirtualHost vhost = new VirtualHost("/");

    @Test
    void deliveriesAreHandedOverWithoutTheQueueLockInQueueOrder() {
        Queue q = declare("q");
        List<String> got = new ArrayList<>();
        q.addConsumer(new NoAckTestConsumer("c", (queue, e) -> {
            assertFalse(Thread.holdsLock(queue), "delivered under the queue's lock");
            got.add(new String(e.message().bodyOrNull()));
        }));
        for (int i = 0; i < 5; i++) {
            q.enqueue(message("m" + i));
        }
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), got);
    }

    /**
     * Two threads publish into two queues at once; each queue's consumer, while it takes its delivery,
     * calls into the other queue (as a channel resuming its queues or requeueing does). With deliveries
     * made under the queue's lock, each thread would hold one queue's lock and wait for the other's.
     */
    @Test
    void consumersCallingIntoEachOthersQueuesAtOnceDoNotDeadlock() throws Exception {
        Queue a = declare("a");
        Queue b = declare("b");
        CyclicBarrier bothDelivering = new CyclicBarrier(2);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        a.addConsumer(new NoAckTestConsumer("ca", (queue, e) -> crossCall(bothDelivering, b, errors)));
        b.addConsumer(new NoAckTestConsumer("cb", (queue, e) -> crossCall(bothDelivering, a, errors)));
        Thread ta = new Thread(() -> a.enqueue(message("to a")), "publisher-a");
        Thread tb = new Thread(() -> b.enqueue(message("to b")), "publisher-b");
        ta.setDaemon(true); // on a deadlock they stay blocked; the JVM must still end
        tb.setDaemon(true);
        ta.start();
        tb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ta.isAlive() || tb.isAlive()) {
            long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            assertNull(deadlocked, "the two publishers deadlocked on the queues' locks");
            assertTrue(System.nanoTime() < deadline, "the publishers did not finish");
            ta.join(20);
            tb.join(20);
        }
        assertEquals(List.of(), errors);
    }

    private static void crossCall(CyclicBarrier bothDelivering, Queue other, List<Throwable> errors) {
        try {
            bothDelivering.await(10, TimeUnit.SECONDS); // both threads are inside a delivery now
            other.dispatch();                            // takes the other queue's lock
        } catch (Exception e) {
            errors.add(e);
        }
    }

    private Queue declare(String name) {
        return (Queue) vhost.declareQueue(name, false, false, false, Map.of(), null).queue();
    }

    private static Message message(String body) {
        return new Message("", "k", new byte[]{0, 0}, body.getBytes());
    }
}
