package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A confirming publisher and an acking consumer (prefetch 50) on one queue of a cluster whose
 * nodes come and go: each runs on its own thread and, when its connection dies, connects to the
 * next node that answers. The publisher sends distinct ids in batches of 20 and waits for their
 * confirms; what a dead connection left unconfirmed is simply not confirmed. Each node's
 * connection factory is made once, while every node runs (a starting node's ports must not be asked).
 */
final class QuorumWorkload implements AutoCloseable {
    private static final int BATCH = 20;

    private final List<ConnectionFactory> factories = new ArrayList<>();
    private final String queue;
    private final ReceivedLog received;
    private final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicInteger reconnects = new AtomicInteger();
    private volatile boolean publishing = true;
    private volatile boolean consuming = true;
    private final Thread publisher;
    private final Thread consumer;
    private final Object progress = new Object();

    QuorumWorkload(WarrenCluster cluster, int nodes, String queue, ReceivedLog received) {
        for (int i = 1; i <= nodes; i++) {
            ConnectionFactory f = cluster.node(i).connectionFactory();
            f.setConnectionTimeout(5_000);
            f.setRequestedHeartbeat(5);
            factories.add(f);
        }
        this.queue = queue;
        this.received = received;
        this.publisher = new Thread(this::publish, "workload-publisher");
        this.consumer = new Thread(this::consume, "workload-consumer");
    }

    QuorumWorkload start() {
        publisher.start();
        consumer.start();
        return this;
    }

    Set<Long> confirmed() {
        return confirmed;
    }

    int reconnects() {
        return reconnects.get();
    }

    /** Waits until {@code more} further messages are confirmed (the cluster makes progress). */
    void awaitConfirms(int more, long timeoutMs) throws InterruptedException {
        int target = confirmed.size() + more;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (progress) {
            while (confirmed.size() < target) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no progress: " + confirmed.size() + " of " + target + " confirmed");
                }
                progress.wait(left);
            }
        }
    }

    /** Stops publishing; waits for the publisher's last batch. */
    void stopPublishing() throws InterruptedException {
        publishing = false;
        publisher.join(60_000);
    }

    private void publish() {
        int node = 0;
        while (publishing) {
            node = (node + 1) % factories.size();
            try (Connection c = factories.get(node).newConnection()) {
                Channel ch = c.createChannel();
                ConfirmTracker t = new ConfirmTracker(confirmed).on(ch);
                while (publishing) {
                    for (int i = 0; i < BATCH; i++) {
                        t.publish(ch, queue, nextId.getAndIncrement());
                    }
                    ch.waitForConfirms(40_000); // nacks and a lost connection leave ids unconfirmed
                    synchronized (progress) {
                        progress.notifyAll();
                    }
                }
            } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
                reconnected("publisher", node, e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void consume() {
        int node = 1;
        while (consuming) {
            node = (node + 1) % factories.size();
            try (Connection c = factories.get(node).newConnection()) {
                Channel ch = c.createChannel();
                ch.basicQos(50);
                CountDownLatch gone = new CountDownLatch(1);
                c.addShutdownListener(s -> gone.countDown());
                ch.basicConsume(queue, false, new DefaultConsumer(ch) {
                    @Override
                    public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) throws IOException {
                        received.add(ConfirmTracker.id(body), env.isRedeliver());
                        ch.basicAck(env.getDeliveryTag(), false);
                    }

                    @Override
                    public void handleCancel(String tag) {
                        gone.countDown(); // consume again elsewhere
                    }
                });
                while (consuming && !gone.await(200, TimeUnit.MILLISECONDS)) {
                    // consuming on the connection's thread
                }
            } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
                reconnected("consumer", node, e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void reconnected(String who, int node, Exception e) {
        reconnects.incrementAndGet();
        System.out.println(who + " on n" + (node + 1) + " lost its connection: " + e); // in the test's report
        try {
            Thread.sleep(100); // retry pacing: the next node may be starting too
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        publishing = false;
        consuming = false;
        publisher.join(60_000);
        consumer.join(10_000);
    }
}
