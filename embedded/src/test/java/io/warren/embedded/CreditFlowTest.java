package io.warren.embedded;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.net.AmqpConnection;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Publisher credit flow: a connection that publishes into a queue whose consumers fall behind stops being
 * read (state {@code flow}) until the queue drained; a queue without consumers and a connection that also
 * consumes are never held. The broker runs in this JVM so the test sees the queue's flag and the
 * connection's state as the management API would.
 */
class CreditFlowTest {
    /** Well above the queue's high-water mark (2,000 ready messages). */
    private static final int MESSAGES = 6_000;
    private static final long TIMEOUT_MILLIS = 20_000;

    @Test
    void aPublisherIsHeldWhileItsQueueIsBackedUpAndGoesOnOnceItDrains() throws Exception {
        try (EmbeddedWarren warren = EmbeddedWarren.builder().start()) {
            ConnectionFactory f = factory(warren);
            try (Connection consuming = f.newConnection("consumer"); Connection publishing = f.newConnection("publisher")) {
                Channel cc = consuming.createChannel();
                cc.queueDeclare("flow.q", false, false, false, null);
                AmqpQueue q = warren.broker().state().vhost("/").queue("flow.q");
                // the consumer takes 1,000 and acks nothing until told: the queue backs up behind it
                cc.basicQos(1_000);
                BlockingQueue<Long> tags = new LinkedBlockingQueue<>();
                AtomicLong expected = new AtomicLong();
                AtomicBoolean inOrder = new AtomicBoolean(true);
                cc.basicConsume("flow.q", false, new DefaultConsumer(cc) {
                    @Override
                    public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) {
                        inOrder.compareAndSet(true, ByteBuffer.wrap(body).getLong() == expected.getAndIncrement());
                        tags.add(env.getDeliveryTag());
                    }
                });
                CompletableFuture<Void> held = watchForFlow(warren, "publisher");
                CompletableFuture<Void> published = publishInBackground(publishing, "flow.q", 20_000);

                held.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS); // the publisher went into state flow
                assertTrue(q.flow().congested());
                assertEquals(0, q.flow().episodes());
                assertEquals("running", state(warren, "consumer"), "the consumer's connection is not held");

                // the consumer catches up: acks all it has, again and again, until everything arrived
                for (int received = 0; received < 20_000; ) {
                    Long tag = tags.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    assertNotNull(tag, "deliveries stopped after " + received);
                    received++;
                    java.util.List<Long> more = new java.util.ArrayList<>();
                    received += tags.drainTo(more);
                    cc.basicAck(more.isEmpty() ? tag : more.get(more.size() - 1), true);
                }
                published.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS); // every publish confirmed
                assertTrue(inOrder.get(), "delivered in publish order");
                assertTrue(q.flow().episodes() >= 1, "the congestion ended by draining");
                assertFalse(q.flow().congested());
                assertEquals("running", state(warren, "publisher"));
            }
        }
    }

    @Test
    void aQueueWithoutConsumersTakesABacklogWithoutHoldingItsPublisher() throws Exception {
        try (EmbeddedWarren warren = EmbeddedWarren.builder().start()) {
            ConnectionFactory f = factory(warren);
            try (Connection publishing = f.newConnection("publisher")) {
                Channel ch = publishing.createChannel();
                ch.queueDeclare("backlog.q", false, false, false, null);
                AmqpQueue q = warren.broker().state().vhost("/").queue("backlog.q");
                CompletableFuture<Void> held = watchForFlow(warren, "publisher");
                publishInBackground(publishing, "backlog.q", MESSAGES).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                assertEquals(MESSAGES, q.readyCount());
                assertFalse(q.flow().congested());
                assertFalse(held.isDone(), "a publisher to a queue without consumers was held");
            }
        }
    }

    @Test
    void aConnectionThatAlsoConsumesIsNeverHeld() throws Exception {
        try (EmbeddedWarren warren = EmbeddedWarren.builder().start()) {
            ConnectionFactory f = factory(warren);
            try (Connection both = f.newConnection("both")) {
                Channel cc = both.createChannel();
                cc.queueDeclare("both.q", false, false, false, null);
                AmqpQueue q = warren.broker().state().vhost("/").queue("both.q");
                cc.basicQos(10); // takes 10 and acks none: the queue backs up behind this connection's own consumer
                cc.basicConsume("both.q", false, new DefaultConsumer(cc));
                CompletableFuture<Void> held = watchForFlow(warren, "both");
                // all confirmed: the connection was read all along
                publishInBackground(both, "both.q", MESSAGES).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                assertTrue(q.flow().congested(), "the queue is backed up (it stays so: nobody acks)");
                assertFalse(held.isDone(), "a connection with consumers was held");
                assertEquals(MESSAGES - 10, q.readyCount());
            }
        }
    }

    private static ConnectionFactory factory(EmbeddedWarren warren) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(warren.amqpUri());
        return f;
    }

    /** Publishes {@code n} messages numbered from 0 under confirms on a channel of its own; done once all are confirmed. */
    private static CompletableFuture<Void> publishInBackground(Connection c, String queue, int n) {
        return CompletableFuture.runAsync(() -> {
            try {
                Channel ch = c.createChannel();
                ch.confirmSelect();
                for (long i = 0; i < n; i++) {
                    ch.basicPublish("", queue, null, ByteBuffer.allocate(Long.BYTES).putLong(i).array());
                }
                ch.waitForConfirmsOrDie(TIMEOUT_MILLIS);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /**
     * Watches the named connection's state from now on, every millisecond on its own loop (a hold lasts
     * until the queue drained, or a second); completes once it was seen in state flow.
     */
    private static CompletableFuture<Void> watchForFlow(EmbeddedWarren warren, String name) {
        CompletableFuture<Void> seen = new CompletableFuture<>();
        AmqpConnection c = connection(warren, name);
        java.util.concurrent.ScheduledFuture<?>[] watch = new java.util.concurrent.ScheduledFuture<?>[1];
        watch[0] = c.ctx().executor().scheduleAtFixedRate(() -> {
            if ("flow".equals(c.stateName())) {
                seen.complete(null);
                watch[0].cancel(false);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        return seen;
    }

    private static String state(EmbeddedWarren warren, String name) throws Exception {
        AmqpConnection c = connection(warren, name);
        return c.ctx().executor().submit(c::stateName).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static AmqpConnection connection(EmbeddedWarren warren, String name) {
        for (AmqpConnection c : warren.broker().state().connections()) {
            if (name.equals(String.valueOf(c.clientProperties().get("connection_name")))) {
                return c;
            }
        }
        throw new AssertionError("no connection named " + name);
    }

}
