package io.warren.embedded;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.VirtualHost;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many queues under load on every event loop, with everything that makes a queue call out: consumers
 * cancelled and re-created while deliveries are on the way to them, channels closed with unacked
 * deliveries (requeued into several queues at once), nacks with requeue, rejects dead-lettered into the
 * next queue of a ring, length limits dropping heads into the ring, message TTLs expiring on the queues'
 * timers, no-ack consumers of durable queues (each delivery settles the stored message with its queue, on
 * the consumer's loop), and a connection that publishes and consumes at once (credit flow must not stop it). The
 * broker runs in this JVM, so a watchdog sees its threads: the test fails at once on a deadlock
 * ({@link ThreadMXBean#findDeadlockedThreads}) or when deliveries stop for {@link #STALL_MILLIS}, with
 * a thread dump in the failure. Bounded: {@code warren.stress.seconds} of load (default 10), then every
 * queue must still answer and every delivery must be accounted for.
 */
class QueueLockStressTest {
    private static final int QUEUES = 12;
    /** Durable queues taking persistent messages, consumed no-ack: each hand-over settles in the queue's store. */
    private static final int DURABLE_QUEUES = 4;
    private static final int CONSUMER_CONNECTIONS = 4;
    private static final int CHANNELS_PER_CONNECTION = 3;
    private static final int QUEUES_PER_CHANNEL = 4;
    private static final int PUBLISHERS = 3;
    private static final long LOAD_MILLIS = TimeUnit.SECONDS.toMillis(Integer.getInteger("warren.stress.seconds", 10));
    private static final long STALL_MILLIS = 5_000;
    private static final int EVENT_LOOPS = 4;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong delivered = new AtomicLong();
    private final List<Throwable> clientErrors = new CopyOnWriteArrayList<>();
    private volatile boolean wedged; // the watchdog found the broker stuck: closing it would hang too

    @Test
    void manyQueuesWithChurnRequeuesAndDeadLettersNeverDeadlock() throws Exception {
        // several loops whatever the machine (the default is half its cores): hand-overs between loops are the point
        EmbeddedWarren warren = EmbeddedWarren.builder().setting("event-loops", Integer.toString(EVENT_LOOPS)).start();
        try {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(warren.amqpUri());
            f.setRequestedHeartbeat(0);
            declareRing(f);
            List<Connection> connections = new ArrayList<>();
            ExecutorService drivers = Executors.newCachedThreadPool();
            try {
                List<Future<?>> tasks = new ArrayList<>();
                for (int i = 0; i < CONSUMER_CONNECTIONS; i++) {
                    Connection c = f.newConnection("stress-consumer-" + i);
                    connections.add(c);
                    tasks.add(drivers.submit(() -> churnConsumers(c)));
                }
                for (int i = 0; i < PUBLISHERS; i++) {
                    Connection c = f.newConnection("stress-publisher-" + i);
                    connections.add(c);
                    tasks.add(drivers.submit(() -> publish(c, false)));
                }
                Connection both = f.newConnection("stress-publisher-and-consumer");
                connections.add(both);
                tasks.add(drivers.submit(() -> publish(both, true)));

                watch(LOAD_MILLIS + STALL_MILLIS, () -> Thread.sleep(LOAD_MILLIS)); // the load runs this long
                running.set(false);
                watch(STALL_MILLIS * 2, () -> {
                    for (Future<?> t : tasks) {
                        t.get();
                    }
                    for (Connection c : connections) {
                        c.close(); // unacked deliveries go back to their queues
                    }
                });
            } finally {
                drivers.shutdownNow();
                for (Connection c : connections) {
                    if (c.isOpen()) {
                        c.abort(1_000); // bounded: a wedged broker never answers the close
                    }
                }
            }
            assertEquals(List.of(), clientErrors, "client-side errors during the load");
            watch(STALL_MILLIS * 2, () -> everyQueueStillWorks(f, warren.broker().state().vhost("/")));
        } finally {
            if (!wedged) { // a deadlocked broker is left as it is: the test JVM exits anyway
                warren.close();
            }
        }
    }

    /** q0 .. q11: each dead-letters into the next; some drop heads at a length limit, some expire messages. */
    private static void declareRing(ConnectionFactory f) throws Exception {
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            for (int i = 0; i < QUEUES; i++) {
                Map<String, Object> args = new java.util.HashMap<>();
                args.put("x-dead-letter-exchange", "");
                args.put("x-dead-letter-routing-key", name((i + 1) % QUEUES));
                args.put("x-max-length", 3_000); // drop-head: bounded, and heads go round the ring
                if (i % 3 == 0) {
                    args.put("x-message-ttl", 200); // expiry on the queue's timer, dead-lettered onwards
                }
                ch.queueDeclare(name(i), false, false, false, args);
            }
            for (int i = 0; i < DURABLE_QUEUES; i++) {
                ch.queueDeclare(durableName(i), true, false, false, Map.of("x-max-length", 3_000));
            }
        }
    }

    private static String name(int i) {
        return "stress.q" + i;
    }

    private static String durableName(int i) {
        return "stress.durable" + i;
    }

    private void publish(Connection c, boolean alsoConsume) {
        try {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            if (alsoConsume) { // acks share this socket with the publishes: credit flow must not stop it
                Channel consumer = c.createChannel();
                consumer.basicQos(5);
                consumer.basicConsume(name(0), false, new Settling(consumer));
            }
            byte[] body = new byte[64];
            long n = 0;
            while (running.get()) {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                if (rnd.nextBoolean()) {
                    ch.basicPublish("", name(rnd.nextInt(QUEUES)), null, body);
                } else {
                    ch.basicPublish("", durableName(rnd.nextInt(DURABLE_QUEUES)), MessageProperties.PERSISTENT_BASIC, body);
                }
                if (++n % 200 == 0) {
                    ch.waitForConfirmsOrDie(STALL_MILLIS * 2);
                }
            }
        } catch (Exception e) {
            clientErrors.add(e);
        }
    }

    /**
     * Channels each consuming several queues; again and again a consumer is cancelled and re-created
     * while deliveries are in flight, and now and then a whole channel closes with its unacked
     * deliveries (requeued into several queues at once) and a new one takes its place.
     */
    private void churnConsumers(Connection c) {
        try {
            List<Channel> channels = new ArrayList<>();
            Map<Channel, List<String>> tags = new ConcurrentHashMap<>();
            for (int i = 0; i < CHANNELS_PER_CONNECTION; i++) {
                channels.add(openConsuming(c, tags));
            }
            Channel noAck = c.createChannel(); // one channel takes from every durable queue
            for (int i = 0; i < DURABLE_QUEUES; i++) {
                noAck.basicConsume(durableName(i), true, new DefaultConsumer(noAck) {
                    @Override
                    public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) {
                        delivered.incrementAndGet();
                    }
                });
            }
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (running.get()) {
                int i = rnd.nextInt(channels.size());
                Channel ch = channels.get(i);
                if (rnd.nextInt(20) == 0) {
                    tags.remove(ch);
                    ch.close();
                    channels.set(i, openConsuming(c, tags));
                } else {
                    List<String> ts = tags.get(ch);
                    String tag = ts.remove(rnd.nextInt(ts.size()));
                    ch.basicCancel(tag);
                    ts.add(ch.basicConsume(name(rnd.nextInt(QUEUES)), false, new Settling(ch)));
                }
                Thread.onSpinWait();
            }
        } catch (Exception e) {
            clientErrors.add(e);
        }
    }

    private Channel openConsuming(Connection c, Map<Channel, List<String>> tags) throws IOException {
        Channel ch = c.createChannel();
        ch.basicQos(20);
        List<String> ts = new CopyOnWriteArrayList<>();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int q = 0; q < QUEUES_PER_CHANNEL; q++) {
            ts.add(ch.basicConsume(name(rnd.nextInt(QUEUES)), false, new Settling(ch)));
        }
        tags.put(ch, ts);
        return ch;
    }

    /** Acks most deliveries, requeues some (nack), rejects some (dead-lettered into the next queue). */
    private final class Settling extends DefaultConsumer {
        Settling(Channel ch) {
            super(ch);
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
            delivered.incrementAndGet();
            if (!getChannel().isOpen()) {
                return;
            }
            int r = ThreadLocalRandom.current().nextInt(10);
            try {
                if (r < 6) {
                    getChannel().basicAck(env.getDeliveryTag(), false);
                } else if (r < 8) {
                    getChannel().basicNack(env.getDeliveryTag(), false, true);
                } else {
                    getChannel().basicReject(env.getDeliveryTag(), false);
                }
            } catch (com.rabbitmq.client.AlreadyClosedException closedMeanwhile) {
                // the churn closed this channel: its unacked deliveries were requeued
            }
        }
    }

    /** After the load: every queue takes and gives a message, and none counts a delivery as still unacked. */
    private static void everyQueueStillWorks(ConnectionFactory f, VirtualHost vhost) throws Exception {
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            for (int i = 0; i < DURABLE_QUEUES; i++) {
                ch.queueDelete(durableName(i)); // answers only if the queue's lock is free
            }
            for (int i = 0; i < QUEUES; i++) {
                ch.queuePurge(name(i));
                byte[] marker = ("marker " + i).getBytes(StandardCharsets.UTF_8);
                ch.basicPublish("", name(i), null, marker);
                GetResponse r = ch.basicGet(name(i), true);
                if (r == null || !new String(r.getBody(), StandardCharsets.UTF_8).equals("marker " + i)) {
                    fail(name(i) + " did not give back the marker just published");
                }
                AmqpQueue q = vhost.queue(name(i));
                assertEquals(0, q.unackedCount(), name(i) + " still counts unacked deliveries after every consumer left");
            }
        }
    }

    /**
     * Runs {@code action} on another thread while watching the JVM: fails on a deadlock, on no delivery
     * progress for {@link #STALL_MILLIS} while the load runs, or if the action takes longer than
     * {@code limitMillis}; each failure carries a dump of every thread.
     */
    private void watch(long limitMillis, ThrowingRunnable action) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<?> done = runner.submit(() -> {
                action.run();
                return null;
            });
            long start = System.nanoTime();
            long lastCount = delivered.get();
            long lastProgress = start;
            while (true) {
                try {
                    done.get(100, TimeUnit.MILLISECONDS); // the watchdog's tick
                    return;
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // watch on
                } catch (java.util.concurrent.ExecutionException failed) {
                    throw new AssertionError("failed: " + failed.getCause() + "\n" + dump(threads), failed.getCause());
                }
                long[] deadlocked = threads.findDeadlockedThreads();
                if (deadlocked != null) {
                    wedged = true;
                    fail("deadlock between " + deadlocked.length + " threads\n" + dump(threads));
                }
                long count = delivered.get();
                long now = System.nanoTime();
                if (count != lastCount || !running.get()) {
                    lastCount = count;
                    lastProgress = now;
                } else if (TimeUnit.NANOSECONDS.toMillis(now - lastProgress) > STALL_MILLIS) {
                    wedged = true;
                    fail("no delivery for " + STALL_MILLIS + " ms under load (" + count + " so far)\n" + dump(threads));
                }
                if (elapsedMillis(start) > limitMillis) {
                    wedged = true;
                    fail("still not done after " + limitMillis + " ms\n" + dump(threads));
                }
            }
        } finally {
            runner.shutdownNow();
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static String dump(ThreadMXBean threads) {
        StringBuilder out = new StringBuilder("thread dump:\n");
        for (ThreadInfo t : threads.dumpAllThreads(true, true)) {
            out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
            if (t.getLockName() != null) {
                out.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                out.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            }
            out.append('\n');
            for (StackTraceElement e : t.getStackTrace()) { // all frames: ThreadInfo.toString cuts at 8
                out.append("\tat ").append(e).append('\n');
            }
            for (java.lang.management.MonitorInfo m : t.getLockedMonitors()) {
                out.append("\tholds ").append(m).append(" (locked at ").append(m.getLockedStackFrame()).append(")\n");
            }
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
