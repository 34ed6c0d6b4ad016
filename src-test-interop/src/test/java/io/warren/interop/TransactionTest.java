package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions (tx.select / tx.commit / tx.rollback): publishes and acks take effect on commit only; a rollback
 * discards the publishes and leaves the acked messages unacked, so they come back when the channel closes.
 */
class TransactionTest extends InteropTestBase {

    /** Ready messages as another channel sees them. */
    private long ready(String q) throws Exception {
        try (Channel c = conn.createChannel()) {
            return c.messageCount(q);
        }
    }

    private List<String> drain(Channel c, String q) throws Exception {
        List<String> out = new ArrayList<>();
        GetResponse r;
        while ((r = c.basicGet(q, true)) != null) {
            out.add(str(r.getBody()));
        }
        return out;
    }

    @Test
    void selectCommitAndRollbackAnswerWithTheirOks() throws Exception {
        assertInstanceOf(AMQP.Tx.SelectOk.class, ch.txSelect());
        assertInstanceOf(AMQP.Tx.SelectOk.class, ch.txSelect()); // selecting again is fine
        assertInstanceOf(AMQP.Tx.CommitOk.class, ch.txCommit()); // an empty transaction
        assertInstanceOf(AMQP.Tx.RollbackOk.class, ch.txRollback());
        assertInstanceOf(AMQP.Tx.CommitOk.class, ch.txCommit());
    }

    @Test
    void publishesAreRoutedOnlyOnCommitAndInOrder() throws Exception {
        String q = declareQueue();
        ch.txSelect();
        for (int i = 0; i < 10; i++) {
            ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, utf8("m" + i));
        }
        ch.queueDeclarePassive(q); // a round trip: the publishes have reached the broker
        assertEquals(0, ready(q), "nothing is visible before commit");
        ch.txCommit();
        assertEquals(10, ready(q), "commit-ok means the messages are enqueued");
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            want.add("m" + i);
        }
        assertEquals(want, drain(conn.createChannel(), q));
    }

    @Test
    void theChannelStaysTransactionalAfterACommit() throws Exception {
        String q = declareQueue();
        ch.txSelect();
        ch.basicPublish("", q, null, utf8("first"));
        ch.txCommit();
        ch.basicPublish("", q, null, utf8("second"));
        ch.queueDeclarePassive(q);
        assertEquals(1, ready(q), "the second publish belongs to a new transaction");
        ch.txCommit();
        assertEquals(2, ready(q));
    }

    @Test
    void rollbackDiscardsPublishes() throws Exception {
        String q = declareQueue();
        ch.txSelect();
        ch.basicPublish("", q, null, utf8("gone1"));
        ch.basicPublish("", q, null, utf8("gone2"));
        ch.txRollback();
        ch.basicPublish("", q, null, utf8("kept"));
        ch.txCommit();
        assertEquals(List.of("kept"), drain(ch, q));
        ch.txCommit(); // the auto-ack gets were not transactional; nothing pending
        assertEquals(0, ready(q));
    }

    @Test
    void publishesOfAChannelClosedWithoutCommitAreDiscarded() throws Exception {
        String q = declareQueue();
        Channel tx = conn.createChannel();
        tx.txSelect();
        tx.basicPublish("", q, null, utf8("uncommitted"));
        tx.close();
        ch.queueDeclarePassive(q);
        assertEquals(0, ready(q));
    }

    @Test
    void acksTakeEffectOnlyOnCommit() throws Exception {
        String q = declareQueue();
        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", q, null, utf8("m" + i));
        }
        awaitMessageCount(q, 3);
        ch.txSelect();
        GetResponse r0 = getOrFail(ch, q, false);
        GetResponse r1 = getOrFail(ch, q, false);
        ch.basicAck(r0.getEnvelope().getDeliveryTag(), false);
        ch.basicAck(r1.getEnvelope().getDeliveryTag(), false);
        ch.txRollback();
        // rolled back: both are unacked again and can be acked in the next transaction
        ch.basicAck(r1.getEnvelope().getDeliveryTag(), true);
        ch.txCommit();
        ch.close(); // nothing unacked is left to requeue
        assertEquals(1, ready(q));
        assertEquals(List.of("m2"), drain(conn.createChannel(), q));
    }

    @Test
    void rolledBackAcksLeaveTheMessagesUnackedUntilTheChannelCloses() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, utf8("a"));
        ch.basicPublish("", q, null, utf8("b"));
        awaitMessageCount(q, 2);
        Channel tx = conn.createChannel();
        tx.txSelect();
        GetResponse a = getOrFail(tx, q, false);
        GetResponse b = getOrFail(tx, q, false);
        tx.basicAck(b.getEnvelope().getDeliveryTag(), true);
        assertEquals(0, ready(q), "acked in the transaction: not ready");
        tx.txRollback();
        Thread.sleep(200);
        assertEquals(0, ready(q), "rolled back acks leave the messages unacked, not requeued");
        assertNull(tx.basicGet(q, false));
        tx.close();
        awaitMessageCount(q, 2); // closing the channel requeues them
        GetResponse again = getOrFail(ch, q, true);
        assertEquals("a", str(again.getBody()));
        assertTrue(again.getEnvelope().isRedeliver());
        assertEquals("b", str(getOrFail(ch, q, true).getBody()));
        assertEquals("a", str(a.getBody()));
    }

    @Test
    void ackingTheSameTagTwiceInOneTransactionIs406() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, utf8("x"));
        awaitMessageCount(q, 1);
        ch.txSelect();
        long tag = getOrFail(ch, q, false).getEnvelope().getDeliveryTag();
        ch.basicAck(tag, false);
        ch.basicAck(tag, false);
        assertEquals("PRECONDITION_FAILED - unknown delivery tag " + tag, awaitChannelError(406, ch));
        awaitMessageCount(q, 1); // the channel closed without commit: the message is requeued
    }

    @Test
    void nackAndRejectWithRequeueTakeEffectOnCommit() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, utf8("n"));
        ch.basicPublish("", q, null, utf8("r"));
        awaitMessageCount(q, 2);
        ch.txSelect();
        GetResponse n = getOrFail(ch, q, false);
        GetResponse r = getOrFail(ch, q, false);
        ch.basicNack(n.getEnvelope().getDeliveryTag(), false, true);
        ch.basicReject(r.getEnvelope().getDeliveryTag(), true);
        ch.queueDeclarePassive(q);
        assertEquals(0, ready(q), "not requeued before commit");
        ch.txCommit();
        assertEquals(2, ready(q));
        GetResponse back = getOrFail(ch, q, false);
        assertEquals("n", str(back.getBody()));
        assertTrue(back.getEnvelope().isRedeliver());
        ch.basicReject(back.getEnvelope().getDeliveryTag(), false);
        ch.txCommit();
        assertEquals("r", str(getOrFail(ch, q, true).getBody()));
        assertEquals(0, ready(q), "the rejected one (requeue=false) is gone");
    }

    @Test
    void rolledBackNackStaysUnacked() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, utf8("n"));
        awaitMessageCount(q, 1);
        Channel tx = conn.createChannel();
        tx.txSelect();
        GetResponse n = getOrFail(tx, q, false);
        tx.basicNack(n.getEnvelope().getDeliveryTag(), false, false);
        tx.txRollback();
        tx.txCommit();
        assertEquals(0, ready(q), "neither dropped nor requeued");
        tx.close();
        awaitMessageCount(q, 1); // requeued when the channel closes, not dropped by the rolled back nack
    }

    @Test
    void rejectWithoutRequeueInATransactionDeadLettersOnCommit() throws Exception {
        String dlq = declareQueue();
        String q = queueName("with-dlx");
        ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
        ch.basicPublish("", q, null, utf8("dead"));
        awaitMessageCount(q, 1);
        ch.txSelect();
        ch.basicReject(getOrFail(ch, q, false).getEnvelope().getDeliveryTag(), false);
        ch.queueDeclarePassive(q);
        assertEquals(0, ready(dlq));
        ch.txCommit();
        awaitMessageCount(dlq, 1);
    }

    @Test
    void consumerAcksInATransaction() throws Exception {
        String q = declareQueue();
        for (int i = 0; i < 5; i++) {
            ch.basicPublish("", q, null, utf8("c" + i));
        }
        awaitMessageCount(q, 5);
        Channel tx = conn.createChannel();
        tx.txSelect();
        BlockingQueue<Long> tags = new LinkedBlockingQueue<>();
        tx.basicConsume(q, false, (t, d) -> tags.add(d.getEnvelope().getDeliveryTag()), t -> { });
        long last = 0;
        for (int i = 0; i < 5; i++) {
            Long t = tags.poll(5, TimeUnit.SECONDS);
            assertTrue(t != null, "delivery " + i);
            last = t;
        }
        tx.basicAck(last, true);
        tx.txRollback();
        tx.basicAck(last, true);
        tx.txCommit();
        tx.close();
        assertEquals(0, ready(q), "committed acks: nothing requeued on close");
    }

    @Test
    void mandatoryUnroutablePublishIsReturnedOnCommit() throws Exception {
        BlockingQueue<String> returns = new LinkedBlockingQueue<>();
        ch.addReturnListener(r -> returns.add(r.getReplyCode() + " " + r.getReplyText() + " " + str(r.getBody())));
        ch.txSelect();
        ch.basicPublish("", uniqueName("nowhere"), true, null, utf8("rolled back"));
        ch.txRollback();
        ch.basicPublish("", uniqueName("nowhere"), true, null, utf8("committed"));
        ch.queueDeclarePassive(declareQueue());
        assertNull(returns.poll(300, TimeUnit.MILLISECONDS), "nothing is returned before commit");
        ch.txCommit();
        assertEquals("312 NO_ROUTE committed", returns.poll(5, TimeUnit.SECONDS));
        assertNull(returns.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void publishToAMissingExchangeInATransactionIs404AtOnce() throws Exception {
        ch.txSelect();
        String x = uniqueName("missing");
        ch.basicPublish(x, "", null, utf8("lost"));
        assertEquals("NOT_FOUND - no exchange '" + x + "' in vhost '/'", awaitChannelError(404, ch));
    }

    @Test
    void commitWithoutSelectIs406AndTheConnectionKeepsWorking() throws Exception {
        String text = assertChannelError(406, ch, () -> ch.txCommit());
        assertEquals("PRECONDITION_FAILED - channel is not transactional", text);
        Channel c2 = conn.createChannel();
        assertEquals("PRECONDITION_FAILED - channel is not transactional",
                assertChannelError(406, c2, () -> c2.txRollback()));
        assertTrue(conn.isOpen());
        String q = queueName();
        Channel c3 = conn.createChannel();
        c3.queueDeclare(q, false, false, false, null);
        c3.txSelect(); // and the connection's other channels may still use transactions
        c3.basicPublish("", q, null, utf8("after the errors"));
        c3.txCommit();
        assertEquals(1, ready(q));
    }

    @Test
    void confirmSelectOnATransactionalChannelIs406() throws Exception {
        ch.txSelect();
        assertEquals("PRECONDITION_FAILED - cannot switch from tx to confirm mode",
                assertChannelError(406, ch, () -> ch.confirmSelect()));
        assertTrue(conn.isOpen());
        Channel other = conn.createChannel(); // another channel of the connection may choose confirms
        other.confirmSelect();
        other.basicPublish("", uniqueName("nowhere"), null, utf8("confirmed"));
        other.waitForConfirmsOrDie(5_000);
    }

    @Test
    void txSelectOnAConfirmChannelIs406() throws Exception {
        ch.confirmSelect();
        assertEquals("PRECONDITION_FAILED - cannot switch from confirm to tx mode",
                assertChannelError(406, ch, () -> ch.txSelect()));
        Channel other = conn.createChannel();
        other.txSelect();
        other.txCommit();
    }

    @Test
    void transactionsOnTwoChannelsAreIndependent() throws Exception {
        String q = declareQueue();
        Channel a = conn.createChannel();
        Channel b = newConnection().createChannel();
        a.txSelect();
        b.txSelect();
        a.basicPublish("", q, null, utf8("a"));
        b.basicPublish("", q, null, utf8("b"));
        b.txCommit();
        assertEquals(1, ready(q));
        a.txRollback();
        a.txCommit();
        assertEquals(List.of("b"), drain(ch, q));
    }

    /**
     * The classic transactional worker: consume from an input queue, publish a result and ack the input in one
     * transaction; a failure rolls back and closes the channel, and the input comes back redelivered.
     */
    @Test
    void consumeTransformPublishWorkerWrittenTheRabbitMqWay() throws Exception {
        String in = queueName("in");
        String out = queueName("out");
        Channel setup = newConnection().createChannel();
        setup.queueDeclare(in, true, false, false, null);
        setup.queueDeclare(out, true, false, false, null);
        for (int i = 0; i < 20; i++) {
            setup.basicPublish("", in, MessageProperties.PERSISTENT_TEXT_PLAIN, utf8("job" + i));
        }
        awaitMessageCount(in, 20);

        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch failedOnce = new CountDownLatch(1);
        Channel worker = newConnection().createChannel();
        worker.basicQos(5);
        worker.txSelect();
        DeliverCallback work = (tag, d) -> {
            String job = str(d.getBody());
            seen.add(job + (d.getEnvelope().isRedeliver() ? "*" : ""));
            worker.basicPublish("", out, MessageProperties.PERSISTENT_TEXT_PLAIN, utf8("done:" + job));
            worker.basicAck(d.getEnvelope().getDeliveryTag(), false);
            if (job.equals("job7") && failedOnce.getCount() > 0) {
                worker.txRollback(); // "the database write failed"
                failedOnce.countDown();
                return;
            }
            worker.txCommit();
        };
        worker.basicConsume(in, false, work, t -> { });
        assertTrue(failedOnce.await(10, TimeUnit.SECONDS));
        // job7 is unacked on the worker's channel; the worker gives up on the channel and a new one takes over
        long deadline = System.currentTimeMillis() + 10_000;
        while (ready(out) < 19 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(19, ready(out), "every job but the rolled back one is done");
        worker.getConnection().close();

        Channel w2 = newConnection().createChannel();
        w2.txSelect();
        BlockingQueue<String> redone = new LinkedBlockingQueue<>();
        w2.basicConsume(in, false, (tag, d) -> {
            redone.add(str(d.getBody()) + (d.getEnvelope().isRedeliver() ? "*" : ""));
            w2.basicPublish("", out, null, utf8("done:" + str(d.getBody())));
            w2.basicAck(d.getEnvelope().getDeliveryTag(), false);
            w2.txCommit();
        }, t -> { });
        assertEquals("job7*", redone.poll(10, TimeUnit.SECONDS));
        deadline = System.currentTimeMillis() + 10_000;
        while (ready(out) < 20 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        w2.getConnection().close();
        List<String> results = drain(ch, out);
        assertEquals(20, results.size(), results.toString());
        assertEquals(20, results.stream().distinct().count(), "no duplicates: " + results);
        assertEquals(0, ready(in));
        assertTrue(seen.contains("job7"), seen.toString());
    }
}
