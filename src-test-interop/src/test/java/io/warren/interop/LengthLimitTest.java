package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * x-max-length and x-max-length-bytes (ready messages and their body bytes) with x-overflow drop-head (the default;
 * dead-lettered as maxlen with a DLX), reject-publish (basic.nack under confirms, a silent drop without) and
 * reject-publish-dlx (nack and dead-letter), for transient and durable queues.
 */
class LengthLimitTest extends InteropTestBase {

    private static Map<String, Object> limit(Object... kv) {
        Map<String, Object> a = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            a.put((String) kv[i], kv[i + 1]);
        }
        return a;
    }

    private static AMQP.BasicProperties props(boolean durable) {
        return new AMQP.BasicProperties.Builder().deliveryMode(durable ? 2 : 1).build();
    }

    private List<String> drainAll(String q) throws IOException {
        List<String> out = new ArrayList<>();
        for (GetResponse r; (r = ch.basicGet(q, true)) != null; ) {
            out.add(str(r.getBody()));
        }
        return out;
    }

    /** Publishes with confirms; returns the sequence numbers that were nacked. */
    private List<Long> publishConfirmed(Channel c, String q, boolean durable, List<String> bodies) throws Exception {
        ConcurrentSkipListSet<Long> nacked = new ConcurrentSkipListSet<>();
        ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
        c.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
                record(acked, tag, multiple);
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
                record(nacked, tag, multiple);
            }

            private void record(ConcurrentSkipListSet<Long> into, long tag, boolean multiple) {
                if (!multiple) {
                    into.add(tag);
                    return;
                }
                for (long t = 1; t <= tag; t++) {
                    if (!acked.contains(t) && !nacked.contains(t)) {
                        into.add(t);
                    }
                }
            }
        });
        c.confirmSelect();
        for (String b : bodies) {
            c.basicPublish("", q, props(durable), utf8(b));
        }
        c.waitForConfirms(10_000);
        assertEquals(bodies.size(), acked.size() + nacked.size(), "every publish confirmed once");
        return new ArrayList<>(nacked);
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void dropHeadKeepsTheNewest(boolean durable) throws Exception {
        String q = queueName();
        ch.queueDeclare(q, durable, false, false, limit("x-max-length", 2));
        List<Long> nacked = publishConfirmed(conn.createChannel(), q, durable, List.of("1", "2", "3", "4"));
        assertEquals(List.of(), nacked, "drop-head confirms every publish");
        assertEquals(List.of("3", "4"), drainAll(q));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void droppedMessagesAreDeadLetteredAsMaxlen(boolean durable) throws Exception {
        String dead = queueName("dead");
        ch.queueDeclare(dead, durable, false, false, null);
        String q = queueName("src");
        ch.queueDeclare(q, durable, false, false, limit("x-max-length", 1, "x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", dead));
        for (String b : List.of("a", "b", "c")) {
            ch.basicPublish("", q, props(durable), utf8(b));
        }
        awaitMessageCount(dead, 2);
        GetResponse first = getOrFail(ch, dead, true);
        assertEquals("a", str(first.getBody()));
        DeadLetterTest.assertDeath(DeadLetterTest.deaths(first).get(0), 1, "maxlen", q, "", List.of(q), null);
        DeadLetterTest.assertFirstDeath(first, "maxlen", q, "");
        assertEquals("b", str(getOrFail(ch, dead, true).getBody()));
        assertEquals(List.of("c"), drainAll(q));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void maxLengthBytesCountsBodyBytes(boolean durable) throws Exception {
        String q = queueName();
        ch.queueDeclare(q, durable, false, false, limit("x-max-length-bytes", 10));
        for (String b : List.of("aaaa", "bbbb", "cccc", "dddd")) {
            ch.basicPublish("", q, props(durable), utf8(b));
        }
        ch.basicPublish("", q, props(durable), utf8("")); // empty bodies cost nothing
        awaitMessageCount(q, 3);
        assertEquals(List.of("cccc", "dddd", ""), drainAll(q));
        ch.basicPublish("", q, props(durable), utf8("x".repeat(11)));
        Thread.sleep(100);
        assertEquals(List.of(), drainAll(q), "a message bigger than the limit is dropped itself");
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void rejectPublishNacksWhatDoesNotFit(boolean durable) throws Exception {
        String q = queueName();
        ch.queueDeclare(q, durable, false, false, limit("x-max-length", 2, "x-overflow", "reject-publish"));
        List<Long> nacked = publishConfirmed(conn.createChannel(), q, durable, List.of("1", "2", "3", "4"));
        assertEquals(List.of(3L, 4L), nacked);
        assertEquals(List.of("1", "2"), drainAll(q));
        List<Long> again = publishConfirmed(conn.createChannel(), q, durable, List.of("5"));
        assertEquals(List.of(), again, "room again after consuming");
    }

    @Test
    void rejectPublishWithoutConfirmsDropsSilently() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, limit("x-max-length", 1, "x-overflow", "reject-publish"));
        for (String b : List.of("1", "2", "3")) {
            ch.basicPublish("", q, null, utf8(b));
        }
        awaitMessageCount(q, 1);
        assertTrue(ch.isOpen());
        assertEquals(List.of("1"), drainAll(q));
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void rejectPublishDlxNacksAndDeadLetters(boolean durable) throws Exception {
        String dead = queueName("dead");
        ch.queueDeclare(dead, durable, false, false, null);
        String q = queueName("src");
        ch.queueDeclare(q, durable, false, false, limit("x-max-length", 1, "x-overflow", "reject-publish-dlx",
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dead));
        List<Long> nacked = publishConfirmed(conn.createChannel(), q, durable, List.of("kept", "refused"));
        assertEquals(List.of(2L), nacked);
        GetResponse r = getOrFail(ch, dead, true);
        assertEquals("refused", str(r.getBody()));
        DeadLetterTest.assertDeath(DeadLetterTest.deaths(r).get(0), 1, "maxlen", q, "", List.of(q), null);
        assertEquals(List.of("kept"), drainAll(q));
    }

    @Test
    void onlyReadyMessagesCount() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, limit("x-max-length", 1, "x-overflow", "reject-publish"));
        ch.basicPublish("", q, null, utf8("out"));
        GetResponse held = getOrFail(ch, q, false); // unacked: not counted
        List<Long> nacked = publishConfirmed(conn.createChannel(), q, false, List.of("in", "over"));
        assertEquals(List.of(2L), nacked);
        ch.basicAck(held.getEnvelope().getDeliveryTag(), false);
        assertEquals(List.of("in"), drainAll(q));
    }

    @Test
    void aMessageForAWaitingConsumerIsDeliveredUnderDropHeadButRefusedUnderRejectPublish() throws Exception {
        String drop = queueName("drop");
        ch.queueDeclare(drop, false, false, false, limit("x-max-length", 0));
        String reject = queueName("reject");
        ch.queueDeclare(reject, false, false, false, limit("x-max-length", 0, "x-overflow", "reject-publish"));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        Channel c = conn.createChannel();
        c.basicConsume(drop, true, (t, d) -> got.add(str(d.getBody())), t -> { });
        c.basicConsume(reject, true, (t, d) -> got.add(str(d.getBody())), t -> { });
        ch.basicPublish("", drop, null, utf8("straight through"));
        assertEquals("straight through", got.poll(5, TimeUnit.SECONDS));
        List<Long> nacked = publishConfirmed(conn.createChannel(), reject, false, List.of("no room"));
        assertEquals(List.of(1L), nacked, "RabbitMQ checks the limit before looking for a consumer");
        assertNull(got.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void aPublishRefusedByOneOfItsQueuesIsNacked() throws Exception {
        String x = exchangeName("fan");
        ch.exchangeDeclare(x, "fanout");
        String full = queueName("full");
        String open = queueName("open");
        ch.queueDeclare(full, false, false, false, limit("x-max-length", 0, "x-overflow", "reject-publish"));
        ch.queueDeclare(open, false, false, false, null);
        ch.queueBind(full, x, "");
        ch.queueBind(open, x, "");
        Channel c = conn.createChannel();
        c.confirmSelect();
        c.basicPublish(x, "", null, utf8("m"));
        assertFalse(c.waitForConfirms(10_000), "nacked");
        assertEquals(List.of("m"), drainAll(open), "the other queue still has it");
    }

    @Test
    void eachRefusedPublishIsNackedAmongAcks() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, limit("x-max-length", 3, "x-overflow", "reject-publish"));
        String other = queueName("other");
        ch.queueDeclare(other, false, false, false, null);
        Channel c = conn.createChannel();
        ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
        ConcurrentSkipListSet<Long> nacked = new ConcurrentSkipListSet<>();
        List<String> events = new ArrayList<>();
        c.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
                record("ack", acked, tag, multiple);
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
                record("nack", nacked, tag, multiple);
            }

            private synchronized void record(String what, ConcurrentSkipListSet<Long> into, long tag, boolean multiple) {
                events.add(what + " " + tag + (multiple ? "+" : ""));
                for (long t = multiple ? 1 : tag; t <= tag; t++) {
                    if (!acked.contains(t) && !nacked.contains(t)) {
                        into.add(t);
                    }
                }
            }
        });
        c.confirmSelect();
        for (int i = 0; i < 5; i++) {
            c.basicPublish("", q, null, utf8("q" + i));   // 1, 3, 5 fit; 7 and 9 are refused
            c.basicPublish("", other, null, utf8("o" + i));
        }
        c.waitForConfirms(10_000);
        // RabbitMQ 3.10 confirms in no particular order, e.g. [ack 1, ack 3, ack 2, ack 6+, ack 8, ack 10, nack 7,
        // nack 9] or [... nack 7+, ack 8, nack 9+, ack 10]; Warren acks runs with multiple=true, nacks in between.
        assertEquals(List.of(7L, 9L), new ArrayList<>(nacked), events.toString());
        assertEquals(8, acked.size(), events.toString());
        assertEquals(List.of("q0", "q1", "q2"), drainAll(q));
    }
}
