package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** basic.ack / nack / reject / recover, requeue positions and delivery-tag errors. */
class AckTest extends InteropTestBase {

    private String queueWith(int n) throws Exception {
        String q = declareQueue();
        for (int i = 1; i <= n; i++) {
            ch.basicPublish("", q, null, utf8(Integer.toString(i)));
        }
        awaitMessageCount(q, n);
        return q;
    }

    /** Gets everything that is ready, without ack; returns body -> response. */
    private List<GetResponse> getAll(Channel c, String q) throws Exception {
        List<GetResponse> out = new ArrayList<>();
        GetResponse r;
        while ((r = c.basicGet(q, false)) != null) {
            out.add(r);
        }
        return out;
    }

    private static List<String> bodies(List<GetResponse> rs) {
        return rs.stream().map(r -> str(r.getBody()) + (r.getEnvelope().isRedeliver() ? "r" : "")).toList();
    }

    @Test
    void ackRemovesTheMessage() throws Exception {
        String q = queueWith(2);
        GetResponse r = getOrFail(ch, q, false);
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
        Channel c = conn.createChannel();
        c.close(); // nothing to requeue on another channel
        ch.close();
        ch = conn.createChannel();
        assertEquals(1, ch.messageCount(q), "only the unacked one was put back");
        assertEquals("2", str(getOrFail(ch, q, true).getBody()));
    }

    @Test
    void requeuedMessagesGoBackToTheirOriginalPosition() throws Exception {
        String q = queueWith(5);
        List<GetResponse> first = getAll(ch, q);
        assertEquals(List.of("1", "2", "3", "4", "5"), bodies(first));
        ch.basicReject(first.get(2).getEnvelope().getDeliveryTag(), true); // 3
        ch.basicReject(first.get(0).getEnvelope().getDeliveryTag(), true); // 1
        List<GetResponse> second = getAll(ch, q);
        assertEquals(List.of("1r", "3r"), bodies(second), "requeued at the head in queue order, redelivered");
        // now requeue everything that is unacked: 2, 4, 5 from the first round and 1, 3 from the second
        ch.basicNack(second.get(1).getEnvelope().getDeliveryTag(), true, true);
        List<GetResponse> third = getAll(ch, q);
        assertEquals(List.of("1r", "2r", "3r", "4r", "5r"), bodies(third));
        ch.basicAck(0, true); // multiple with tag 0: everything outstanding
        assertEquals(0, ch.messageCount(q));
        assertNull(ch.basicGet(q, false));
    }

    @Test
    void requeueGoesBeforeMessagesPublishedLater() throws Exception {
        String q = queueWith(2);
        GetResponse one = getOrFail(ch, q, false);
        ch.basicPublish("", q, null, utf8("3"));
        awaitMessageCount(q, 2);
        ch.basicNack(one.getEnvelope().getDeliveryTag(), false, true);
        assertEquals(List.of("1r", "2", "3"), bodies(getAll(ch, q)));
    }

    @Test
    void rejectAndNackWithoutRequeueDrop() throws Exception {
        String q = queueWith(3);
        List<GetResponse> all = getAll(ch, q);
        ch.basicReject(all.get(0).getEnvelope().getDeliveryTag(), false);
        ch.basicNack(all.get(2).getEnvelope().getDeliveryTag(), true, false); // also drops #2
        ch.close();
        ch = conn.createChannel();
        assertEquals(0, ch.messageCount(q));
    }

    @Test
    void ackMultipleAcksUpToTheTag() throws Exception {
        String q = queueWith(5);
        List<GetResponse> all = getAll(ch, q);
        ch.basicAck(all.get(2).getEnvelope().getDeliveryTag(), true); // 1..3
        ch.close();
        ch = conn.createChannel();
        assertEquals(List.of("4r", "5r"), bodies(getAll(ch, q)));
    }

    @Test
    void deliveryTagsArePerChannelAndStartAtOne() throws Exception {
        String q = queueWith(4);
        Channel c2 = conn.createChannel();
        assertEquals(1, getOrFail(ch, q, false).getEnvelope().getDeliveryTag());
        assertEquals(1, getOrFail(c2, q, false).getEnvelope().getDeliveryTag());
        assertEquals(2, getOrFail(ch, q, true).getEnvelope().getDeliveryTag(), "auto-ack gets count too");
        assertEquals(3, getOrFail(ch, q, false).getEnvelope().getDeliveryTag());
    }

    @Test
    void unknownDeliveryTagIs406() throws Exception {
        String q = queueWith(1);
        getOrFail(ch, q, false);
        ch.basicAck(42, false);
        assertEquals("PRECONDITION_FAILED - unknown delivery tag 42", awaitChannelError(406, ch));
        // the unacked message went back to the queue when the channel closed
        Channel c = conn.createChannel();
        awaitMessageCount(q, 1);
        assertTrue(getOrFail(c, q, true).getEnvelope().isRedeliver());
    }

    @Test
    void doubleAckIs406() throws Exception {
        String q = queueWith(1);
        long tag = getOrFail(ch, q, false).getEnvelope().getDeliveryTag();
        ch.basicAck(tag, false);
        ch.basicAck(tag, false);
        assertEquals("PRECONDITION_FAILED - unknown delivery tag " + tag, awaitChannelError(406, ch));
    }

    @Test
    void rejectAndNackOfUnknownTagsAre406() throws Exception {
        ch.basicReject(7, true);
        assertEquals("PRECONDITION_FAILED - unknown delivery tag 7", awaitChannelError(406, ch));
        Channel c = conn.createChannel();
        c.basicNack(9, true, true);
        assertEquals("PRECONDITION_FAILED - unknown delivery tag 9", awaitChannelError(406, c));
    }

    @Test
    void ackingAnAutoAckedDeliveryIs406() throws Exception {
        String q = queueWith(1);
        long tag = getOrFail(ch, q, true).getEnvelope().getDeliveryTag();
        ch.basicAck(tag, false);
        assertEquals("PRECONDITION_FAILED - unknown delivery tag " + tag, awaitChannelError(406, ch));
    }

    @Test
    void ackOnAnotherChannelIs406() throws Exception {
        String q = queueWith(1);
        long tag = getOrFail(ch, q, false).getEnvelope().getDeliveryTag();
        Channel c2 = conn.createChannel();
        c2.basicAck(tag, false);
        assertEquals("PRECONDITION_FAILED - unknown delivery tag " + tag, awaitChannelError(406, c2));
        assertTrue(ch.isOpen());
        ch.basicAck(tag, false);
        ch.queueDeclarePassive(q);
        assertEquals(0, ch.messageCount(q));
    }

    @Test
    void ackMultipleWithZeroAndNothingOutstandingIsFine() throws Exception {
        ch.basicAck(0, true);
        ch.basicNack(0, true, true);
        ch.queueDeclare();
        assertTrue(ch.isOpen());
    }

    @Test
    void consumerAckAndNackRequeueRedelivers() throws Exception {
        String q = declareQueue();
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        ch.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
        ch.basicPublish("", q, null, utf8("once"));
        Delivery d1 = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(d1);
        assertFalse(d1.getEnvelope().isRedeliver());
        ch.basicNack(d1.getEnvelope().getDeliveryTag(), false, true);
        Delivery d2 = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(d2);
        assertEquals("once", str(d2.getBody()));
        assertTrue(d2.getEnvelope().isRedeliver());
        assertEquals(d1.getEnvelope().getDeliveryTag() + 1, d2.getEnvelope().getDeliveryTag());
        ch.basicAck(d2.getEnvelope().getDeliveryTag(), false);
        assertNull(got.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void recoverWithRequeueRedeliversUnackedMessages() throws Exception {
        String q = queueWith(3);
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        ch.basicConsume(q, false, (t, d) -> got.add(d), t -> { });
        List<String> firstRound = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            firstRound.add(str(got.poll(5, TimeUnit.SECONDS).getBody()));
        }
        assertEquals(List.of("1", "2", "3"), firstRound);
        ch.basicRecover(true);
        List<String> secondRound = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Delivery d = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(d);
            assertTrue(d.getEnvelope().isRedeliver());
            secondRound.add(str(d.getBody()));
            ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
        }
        assertEquals(List.of("1", "2", "3"), secondRound);
    }

    @Test
    void recoverWithoutConsumerPutsGetMessagesBack() throws Exception {
        String q = queueWith(2);
        getAll(ch, q);
        assertEquals(0, ch.messageCount(q));
        ch.basicRecover(true);
        awaitMessageCount(q, 2);
        assertEquals(List.of("1r", "2r"), bodies(getAll(ch, q)));
    }

    @Test
    void recoverWithoutRequeueIsNotImplemented540() throws Exception {
        String q = queueWith(1);
        getOrFail(ch, q, false);
        String text = assertConnectionError(540, conn, () -> ch.basicRecover(false));
        assertEquals("NOT_IMPLEMENTED - requeue=false", text);
    }
}
