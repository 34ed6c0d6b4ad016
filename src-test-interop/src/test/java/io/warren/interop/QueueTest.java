package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** queue.declare / bind / unbind / purge / delete and their errors. Exclusivity is in {@link ExclusiveQueueTest}. */
class QueueTest extends InteropTestBase {

    @Test
    void declareWithEachFlagCombination() throws Exception {
        for (boolean durable : new boolean[]{false, true}) {
            for (boolean exclusive : new boolean[]{false, true}) {
                for (boolean autoDelete : new boolean[]{false, true}) {
                    String q = queueName("d" + durable + "e" + exclusive + "a" + autoDelete);
                    AMQP.Queue.DeclareOk ok = ch.queueDeclare(q, durable, exclusive, autoDelete, null);
                    assertEquals(q, ok.getQueue());
                    assertEquals(0, ok.getMessageCount());
                    assertEquals(0, ok.getConsumerCount());
                    ch.queueDeclare(q, durable, exclusive, autoDelete, null); // idempotent
                    assertEquals(q, ch.queueDeclarePassive(q).getQueue());
                }
            }
        }
    }

    @Test
    void serverNamedQueue() throws Exception {
        AMQP.Queue.DeclareOk ok = ch.queueDeclare();
        String q = ok.getQueue();
        assertTrue(q.startsWith("amq.gen-"), q);
        assertEquals(0, ok.getMessageCount());
        // the same flags with an empty name give another fresh queue
        String q2 = ch.queueDeclare("", false, false, false, null).getQueue();
        deleteQueueAfter(q2);
        assertTrue(q2.startsWith("amq.gen-"), q2);
        assertTrue(!q.equals(q2));
        ch.queueDeclarePassive(q);
        ch.basicPublish("", q2, null, "hi".getBytes(StandardCharsets.UTF_8));
        assertEquals("hi", new String(getOrFail(ch, q2, true).getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void passiveDeclareOfMissingQueueIs404() {
        String q = uniqueName("missing");
        String text = assertChannelError(404, ch, () -> ch.queueDeclarePassive(q));
        assertEquals("NOT_FOUND - no queue '" + q + "' in vhost '/'", text);
    }

    @Test
    void declareOkCountsReadyMessagesAndConsumers() throws Exception {
        String q = declareQueue();
        for (int i = 0; i < 5; i++) {
            ch.basicPublish("", q, null, new byte[]{(byte) i});
        }
        awaitMessageCount(q, 5);
        Channel c = conn.createChannel();
        c.basicGet(q, false); // one unacked: no longer counted
        c.basicGet(q, false);
        AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(q);
        assertEquals(3, ok.getMessageCount(), "ready messages only");
        assertEquals(0, ok.getConsumerCount());
        Channel consumer = conn.createChannel();
        consumer.basicQos(1);
        consumer.basicConsume(q, false, (tag, d) -> { }, tag -> { });
        consumer.basicConsume(q, false, (tag, d) -> { }, tag -> { });
        // the consumers take one message each (prefetch 1) and hold them unacked
        long deadline = System.currentTimeMillis() + 5_000;
        while (ch.queueDeclarePassive(q).getMessageCount() != 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        ok = ch.queueDeclare(q, false, false, false, null);
        assertEquals(1, ok.getMessageCount());
        assertEquals(2, ok.getConsumerCount());
        assertEquals(1, ch.messageCount(q));
        assertEquals(2, ch.consumerCount(q));
    }

    @Test
    void redeclareWithAnotherDurabilityIs406() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, null);
        String text = assertChannelError(406, ch, () -> ch.queueDeclare(q, false, false, false, null));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'durable' for queue '" + q
                + "' in vhost '/': received 'false' but current is 'true'", text);
    }

    @Test
    void redeclareWithAnotherAutoDeleteIs406() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, null);
        String text = assertChannelError(406, ch, () -> ch.queueDeclare(q, false, false, true, null));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'auto_delete' for queue '" + q
                + "' in vhost '/': received 'true' but current is 'false'", text);
    }

    @Test
    void redeclareWithAnotherArgumentIs406() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 10));
        Channel c1 = conn.createChannel();
        String missing = assertChannelError(406, c1, () -> c1.queueDeclare(q, false, false, false, null));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue '" + q
                + "' in vhost '/': received none but current is the value '10' of type 'signedint'", missing);
        Channel c2 = conn.createChannel();
        String other = assertChannelError(406, c2, () -> c2.queueDeclare(q, false, false, false, Map.of("x-max-length", 20)));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue '" + q
                + "' in vhost '/': received '20' but current is '10'",
                other);
        // same value with a different integer type is equivalent
        Channel c3 = conn.createChannel();
        c3.queueDeclare(q, false, false, false, Map.of("x-max-length", 10L));
        // passive declare ignores arguments
        c3.queueDeclarePassive(q);
    }

    @Test
    void bindAndUnbind() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String q = declareQueue();
        assertInstanceOf(AMQP.Queue.BindOk.class, ch.queueBind(q, x, "k"));
        ch.confirmSelect();
        ch.basicPublish(x, "k", null, "1".getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(5_000);
        assertEquals(1, ch.messageCount(q));
        assertInstanceOf(AMQP.Queue.UnbindOk.class, ch.queueUnbind(q, x, "k"));
        ch.basicPublish(x, "k", null, "2".getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(5_000);
        assertEquals(1, ch.messageCount(q));
    }

    @Test
    void purgeReturnsTheCountOfReadyMessages() throws Exception {
        String q = declareQueue();
        for (int i = 0; i < 7; i++) {
            ch.basicPublish("", q, null, new byte[]{(byte) i});
        }
        awaitMessageCount(q, 7);
        Channel c = conn.createChannel();
        c.basicGet(q, false); // unacked: not purged
        AMQP.Queue.PurgeOk ok = ch.queuePurge(q);
        assertEquals(6, ok.getMessageCount());
        assertEquals(0, ch.messageCount(q));
        assertEquals(0, ch.queuePurge(q).getMessageCount());
        c.close(); // requeues the unacked one
        awaitMessageCount(q, 1);
    }

    @Test
    void purgeOfMissingQueueIs404() {
        String q = uniqueName("missing");
        assertEquals("NOT_FOUND - no queue '" + q + "' in vhost '/'", assertChannelError(404, ch, () -> ch.queuePurge(q)));
    }

    @Test
    void deleteReturnsTheMessageCount() throws Exception {
        String q = declareQueue();
        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", q, null, new byte[0]);
        }
        awaitMessageCount(q, 3);
        assertEquals(3, ch.queueDelete(q).getMessageCount());
        assertChannelError(404, ch, () -> ch.queueDeclarePassive(q));
    }

    @Test
    void deletingAMissingQueueSucceeds() throws Exception {
        AMQP.Queue.DeleteOk ok = ch.queueDelete(uniqueName("never-declared"));
        assertEquals(0, ok.getMessageCount());
        ch.queueDelete(uniqueName("never-declared"), true, true);
        assertTrue(ch.isOpen());
    }

    @Test
    void deleteIfUnusedWithAConsumerIs406() throws Exception {
        String q = declareQueue();
        Channel c = conn.createChannel();
        c.basicConsume(q, true, (tag, d) -> { }, tag -> { });
        String text = assertChannelError(406, ch, () -> ch.queueDelete(q, true, false));
        assertEquals("PRECONDITION_FAILED - queue '" + q + "' in vhost '/' in use", text);
        Channel again = conn.createChannel();
        again.queueDeclarePassive(q);
    }

    @Test
    void deleteIfEmptyWithMessagesIs406() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, "x".getBytes(StandardCharsets.UTF_8));
        awaitMessageCount(q, 1);
        String text = assertChannelError(406, ch, () -> ch.queueDelete(q, false, true));
        assertEquals("PRECONDITION_FAILED - queue '" + q + "' in vhost '/' not empty", text);
        Channel again = conn.createChannel();
        assertEquals(1, again.queueDeclarePassive(q).getMessageCount());
        again.queuePurge(q);
        again.queueDelete(q, true, true);
    }

    @Test
    void deletingAQueueCancelsItsConsumers() throws Exception {
        String q = declareQueue();
        Channel c = conn.createChannel();
        java.util.concurrent.CompletableFuture<String> cancelled = new java.util.concurrent.CompletableFuture<>();
        String tag = c.basicConsume(q, true, (t, d) -> { }, cancelled::complete);
        ch.queueDelete(q);
        assertEquals(tag, cancelled.get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(c.isOpen(), "consumer_cancel_notify: the channel stays open");
    }

    @Test
    void autoDeleteQueueVanishesAfterItsLastConsumerCancels() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, true, null);
        Channel c = conn.createChannel();
        String t1 = c.basicConsume(q, true, (t, d) -> { }, t -> { });
        String t2 = c.basicConsume(q, true, (t, d) -> { }, t -> { });
        c.basicCancel(t1);
        assertEquals(1, ch.queueDeclarePassive(q).getConsumerCount());
        c.basicCancel(t2);
        awaitGone(q);
    }

    @Test
    void autoDeleteQueueVanishesWhenTheConsumersChannelCloses() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, true, null);
        Connection other = newConnection();
        Channel c = other.createChannel();
        c.basicConsume(q, true, (t, d) -> { }, t -> { });
        other.close();
        awaitGone(q);
    }

    @Test
    void autoDeleteQueueWithoutConsumersStays() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, true, null);
        ch.basicPublish("", q, null, new byte[0]);
        getOrFail(ch, q, true); // basic.get is not a consumer
        ch.queueDeclarePassive(q);
    }

    private void awaitGone(String q) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            Channel probe = conn.createChannel();
            try {
                probe.queueDeclarePassive(q);
                probe.close();
            } catch (java.io.IOException e) {
                assertEquals(404, ((AMQP.Channel.Close) ((com.rabbitmq.client.ShutdownSignalException) e.getCause())
                        .getReason()).getReplyCode());
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("queue " + q + " still exists");
    }
}
