package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publisher confirms. */
class ConfirmTest extends InteropTestBase {

    /** Records acks and nacks as individual tags, expanding multiple=true. */
    static final class Recorder implements ConfirmListener {
        final SortedSet<Long> acked = Collections.synchronizedSortedSet(new TreeSet<>());
        final SortedSet<Long> nacked = Collections.synchronizedSortedSet(new TreeSet<>());
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        volatile int multipleAcks;
        private long highest;

        @Override
        public synchronized void handleAck(long tag, boolean multiple) {
            events.add("ack " + tag);
            if (multiple) {
                multipleAcks++;
                for (long t = highest + 1; t <= tag; t++) {
                    acked.add(t);
                }
            } else {
                acked.add(tag);
            }
            highest = Math.max(highest, tag);
        }

        @Override
        public synchronized void handleNack(long tag, boolean multiple) {
            events.add("nack " + tag);
            nacked.add(tag);
            highest = Math.max(highest, tag);
        }
    }

    @Test
    void confirmSelectAndWaitForConfirms() throws Exception {
        assertInstanceOf(AMQP.Confirm.SelectOk.class, ch.confirmSelect());
        ch.confirmSelect(); // again: fine
        String q = declareQueue();
        for (int i = 0; i < 100; i++) {
            ch.basicPublish("", q, null, utf8("m" + i));
        }
        assertTrue(ch.waitForConfirms(10_000));
        assertEquals(100, ch.messageCount(q));
        assertEquals(101, ch.getNextPublishSeqNo());
    }

    @Test
    void everyPublishIsConfirmedOnceInOrder() throws Exception {
        Recorder rec = new Recorder();
        ch.addConfirmListener(rec);
        ch.confirmSelect();
        String q = declareQueue();
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            ch.basicPublish("", q, null, new byte[16]);
        }
        ch.waitForConfirmsOrDie(20_000);
        assertEquals(n, rec.acked.size());
        assertEquals(1L, rec.acked.first());
        assertEquals((long) n, rec.acked.last());
        assertTrue(rec.nacked.isEmpty());
        List<Long> tags = rec.events.stream().map(e -> Long.parseLong(e.substring(4))).toList();
        for (int i = 1; i < tags.size(); i++) {
            assertTrue(tags.get(i) > tags.get(i - 1), "confirms must arrive in increasing tag order: " + tags);
        }
    }

    @Test
    void unroutableMessagesAreConfirmedToo() throws Exception {
        Recorder rec = new Recorder();
        ch.addConfirmListener(rec);
        ch.confirmSelect();
        ch.basicPublish("", uniqueName("nowhere"), null, utf8("dropped"));
        String x = exchangeName();
        ch.exchangeDeclare(x, "fanout");
        ch.basicPublish(x, "", null, utf8("no bindings"));
        ch.waitForConfirmsOrDie(5_000);
        assertEquals(new TreeSet<>(List.of(1L, 2L)), rec.acked);
    }

    @Test
    void mandatoryUnroutableIsReturnedBeforeItIsConfirmed() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        ch.addReturnListener(r -> events.add("return " + new String(r.getBody())));
        ch.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
                events.add("ack " + tag);
                if (tag == 2) {
                    done.countDown();
                }
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
                events.add("nack " + tag);
            }
        });
        ch.confirmSelect();
        String q = declareQueue();
        ch.basicPublish("", uniqueName("nowhere"), true, null, utf8("m1"));
        ch.basicPublish("", q, true, null, utf8("m2"));
        assertTrue(done.await(5, TimeUnit.SECONDS), events.toString());
        assertEquals(List.of("return m1", "ack 1", "ack 2"), events);
    }

    @Test
    void persistentMessagesToADurableQueueAreConfirmed() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, null);
        ch.confirmSelect();
        for (int i = 0; i < 50; i++) {
            ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, utf8("p" + i));
        }
        ch.waitForConfirmsOrDie(10_000);
        assertEquals(50, ch.messageCount(q));
    }

    /** A sync completes many publishes at once; they are confirmed together, not one frame each. */
    @Test
    void persistentPublishesSyncedTogetherAreConfirmedTogether() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, null);
        ch.confirmSelect();
        Recorder r = new Recorder();
        ch.addConfirmListener(r);
        int n = 2000;
        for (int i = 0; i < n; i++) {
            ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, new byte[100]);
        }
        ch.waitForConfirmsOrDie(30_000);
        assertEquals(n, r.acked.size());
        assertTrue(r.nacked.isEmpty());
        assertTrue(r.events.size() < n / 4, r.events.size() + " confirm frames for " + n + " publishes");
        ch.queueDelete(q);
    }

    @Test
    void confirmsOnTwoChannelsAreIndependent() throws Exception {
        Channel c2 = conn.createChannel();
        ch.confirmSelect();
        c2.confirmSelect();
        String q = declareQueue();
        for (int i = 0; i < 10; i++) {
            ch.basicPublish("", q, null, new byte[0]);
        }
        c2.basicPublish("", q, null, new byte[0]);
        assertEquals(11, ch.getNextPublishSeqNo());
        assertEquals(2, c2.getNextPublishSeqNo());
        ch.waitForConfirmsOrDie(5_000);
        c2.waitForConfirmsOrDie(5_000);
    }

    @Test
    void publishToAMissingExchangeInConfirmModeClosesTheChannel() throws Exception {
        ch.confirmSelect();
        String x = uniqueName("missing");
        ch.basicPublish(x, "", null, new byte[0]);
        assertEquals("NOT_FOUND - no exchange '" + x + "' in vhost '/'", awaitChannelError(404, ch));
    }

    @Test
    void confirmSelectOnATransactionalChannelIs406() throws Exception {
        ch.txSelect();
        String text = assertChannelError(406, ch, () -> ch.confirmSelect());
        assertEquals("PRECONDITION_FAILED - cannot switch from tx to confirm mode", text);
    }

    @Test
    void txSelectOnAConfirmChannelIs406() throws Exception {
        ch.confirmSelect();
        String text = assertChannelError(406, ch, () -> ch.txSelect());
        assertEquals("PRECONDITION_FAILED - cannot switch from confirm to tx mode", text);
    }

    @Test
    void transactionsCommitAndRollback() throws Exception {
        String q = declareQueue();
        ch.txSelect();
        ch.basicPublish("", q, null, utf8("rolled back"));
        ch.txRollback();
        ch.basicPublish("", q, null, utf8("committed"));
        assertEquals(0, ch.messageCount(q), "nothing before commit");
        ch.txCommit();
        assertEquals(1, ch.messageCount(q));
        assertEquals("committed", new String(getOrFail(ch, q, false).getBody()));
        ch.txCommit(); // the get's ack is not pending; commit again is fine
    }
}
