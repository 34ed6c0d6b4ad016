package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code x-queue-type: quorum} on one node, as RabbitMQ 3.10 answers (the texts were read off a real
 * node; the suite also runs against one): declare refusals, confirmed publishes, consumers with
 * ack / nack / requeue and x-delivery-count, x-delivery-limit, length limits.
 */
class QuorumQueueTest extends InteropTestBase {
    private static final int PRECONDITION_FAILED = 406;

    private static Map<String, Object> quorum(Object... more) {
        Map<String, Object> args = new HashMap<>();
        args.put("x-queue-type", "quorum");
        for (int i = 0; i < more.length; i += 2) {
            args.put((String) more[i], more[i + 1]);
        }
        return args;
    }

    private String declareQuorum(Object... more) throws IOException {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, quorum(more));
        return q;
    }

    @Test
    void declaresThatAQuorumQueueCannotHonourAreRefusedAsRabbitMqRefusesThem() throws Exception {
        String q = queueName();
        String what = "queue '" + q + "' in vhost '/'";
        assertEquals("PRECONDITION_FAILED - invalid property 'non-durable' for " + what,
                assertChannelError(PRECONDITION_FAILED, ch, () -> ch.queueDeclare(q, false, false, false, quorum())));
        Channel c2 = conn.createChannel();
        assertEquals("PRECONDITION_FAILED - invalid property 'exclusive-owner' for " + what,
                assertChannelError(PRECONDITION_FAILED, c2, () -> c2.queueDeclare(q, true, true, false, quorum())));
        Channel c3 = conn.createChannel();
        assertEquals("PRECONDITION_FAILED - invalid property 'auto-delete' for " + what,
                assertChannelError(PRECONDITION_FAILED, c3, () -> c3.queueDeclare(q, true, true, true, quorum())));
        Channel c4 = conn.createChannel();
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-max-priority' for " + what + " of queue type rabbit_quorum_queue",
                assertChannelError(PRECONDITION_FAILED, c4, () -> c4.queueDeclare(q, false, false, false,
                        quorum("x-max-priority", 5))));
        Channel c5 = conn.createChannel();
        assertEquals("PRECONDITION_FAILED - Cannot declare a server-named queue for type rabbit_quorum_queue",
                assertChannelError(PRECONDITION_FAILED, c5, () -> c5.queueDeclare("", true, false, false, quorum())));
        Channel c6 = conn.createChannel();
        c6.queueDeclare(q, true, false, false, quorum());
        assertEquals(0, c6.queueDeclarePassive(q).getMessageCount());
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for " + what
                        + ": received none but current is the value 'quorum' of type 'longstr'",
                assertChannelError(PRECONDITION_FAILED, c6, () -> c6.queueDeclare(q, true, false, false, null)));
    }

    @Test
    void confirmedMessagesAreConsumedInOrderAndAckedAway() throws Exception {
        String q = declareQuorum();
        ch.confirmSelect();
        for (int i = 0; i < 200; i++) {
            ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(ch.waitForConfirms(30_000), "every publish confirmed (acked, not nacked)");
        assertEquals(200, ch.queueDeclarePassive(q).getMessageCount());

        Channel c = conn.createChannel();
        c.basicQos(10);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, new DefaultConsumer(c) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
                got.add(new String(body, StandardCharsets.UTF_8) + (env.isRedeliver() ? "+r" : "")
                        + (props.getHeaders() != null && props.getHeaders().containsKey("x-delivery-count") ? "+dc" : ""));
                getChannel().basicAck(env.getDeliveryTag(), false);
            }
        });
        for (int i = 0; i < 200; i++) {
            assertEquals("m" + i, got.poll(30, TimeUnit.SECONDS), "a first delivery carries no x-delivery-count");
        }
        awaitMessageCount(q, 0);
        assertEquals(1, ch.queueDeclarePassive(q).getConsumerCount());
    }

    /**
     * A quorum queue's message is one Raft log entry, and Ratis takes entries up to its log write buffer (8 MiB):
     * a message of several MiB is stored and delivered whole (on a cluster, over 4 MiB timed out before: Ratis' leader never
     * sent it to the followers), and a larger one is refused at once with a basic.nack, not after the commit
     * timeout.
     */
    @Test
    void aMessageOfSeveralMegabytesIsStoredAndALargerOneIsNackedAtOnce() throws Exception {
        String q = declareQuorum();
        ch.confirmSelect();
        byte[] big = new byte[7_000_000];
        big[0] = 1;
        big[big.length - 1] = 2;
        ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, big);
        assertTrue(ch.waitForConfirms(30_000), "a 7 MB message is confirmed");
        ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, new byte[9_000_000]);
        assertFalse(ch.waitForConfirms(30_000), "a 9 MB message is nacked");
        GetResponse got = ch.basicGet(q, true);
        assertNotNull(got);
        assertEquals(big.length, got.getBody().length);
        assertEquals(1, got.getBody()[0]);
        assertEquals(2, got.getBody()[big.length - 1]);
        assertNull(ch.basicGet(q, true), "the refused message is not in the queue");
    }

    @Test
    void everyRequeueCountsAndTheDeliveryLimitDeadLetters() throws Exception {
        String dlq = queueName("dead");
        ch.queueDeclare(dlq, false, false, false, null);
        String q = declareQuorum("x-delivery-limit", 1, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq);
        ch.confirmSelect();
        ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, "once".getBytes(StandardCharsets.UTF_8));
        assertTrue(ch.waitForConfirms(30_000));

        GetResponse first = getOrFail(ch, q, false);
        assertFalse(first.getEnvelope().isRedeliver());
        assertEquals(0L, ((Number) first.getProps().getHeaders().get("x-delivery-count")).longValue(),
                "basic.get carries x-delivery-count 0 on the first delivery, as RabbitMQ 3.10 does");
        ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);

        GetResponse second = getOrFail(ch, q, false);
        assertTrue(second.getEnvelope().isRedeliver());
        assertEquals(1L, ((Number) second.getProps().getHeaders().get("x-delivery-count")).longValue());
        ch.basicReject(second.getEnvelope().getDeliveryTag(), true); // past x-delivery-limit 1: dead-lettered

        GetResponse dead = getOrFail(ch, dlq, true);
        assertEquals("once", new String(dead.getBody(), StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) dead.getProps().getHeaders().get("x-death");
        assertNotNull(deaths);
        assertEquals("delivery_limit", deaths.get(0).get("reason").toString());
        assertEquals(q, deaths.get(0).get("queue").toString());
        assertNull(ch.basicGet(q, true), "gone from the quorum queue");
    }

    @Test
    void dropHeadKeepsTheNewestAndRejectPublishNacks() throws Exception {
        String dropping = declareQuorum("x-max-length", 2);
        ch.confirmSelect();
        for (int i = 0; i < 5; i++) {
            ch.basicPublish("", dropping, null, ("d" + i).getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(ch.waitForConfirms(30_000));
        assertEquals("d3", new String(getOrFail(ch, dropping, true).getBody(), StandardCharsets.UTF_8));
        assertEquals("d4", new String(getOrFail(ch, dropping, true).getBody(), StandardCharsets.UTF_8));

        String rejecting = declareQuorum("x-max-length", 1, "x-overflow", "reject-publish");
        Channel pub = conn.createChannel();
        pub.confirmSelect();
        List<Boolean> outcomes = new ArrayList<>();
        BlockingQueue<Boolean> confirms = new LinkedBlockingQueue<>();
        pub.addConfirmListener((tag, multiple) -> confirms.add(true), (tag, multiple) -> confirms.add(false));
        for (String body : List.of("fits", "goes-over", "refused")) {
            pub.basicPublish("", rejecting, null, body.getBytes(StandardCharsets.UTF_8));
            outcomes.add(confirms.poll(30, TimeUnit.SECONDS));
        }
        // RabbitMQ 3.10's quorum queue takes the publish that goes over x-max-length, then refuses
        assertEquals(List.of(true, true, false), outcomes);
        assertEquals(2, ch.queueDeclarePassive(rejecting).getMessageCount());
    }

    @Test
    void aConsumerThatClosesWithUnackedMessagesReturnsThemCounted() throws Exception {
        String q = declareQuorum();
        ch.confirmSelect();
        ch.basicPublish("", q, null, "held".getBytes(StandardCharsets.UTF_8));
        assertTrue(ch.waitForConfirms(30_000));
        Channel c = conn.createChannel();
        BlockingQueue<Envelope> delivered = new LinkedBlockingQueue<>();
        c.basicConsume(q, false, new DefaultConsumer(c) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                delivered.add(env);
            }
        });
        assertNotNull(delivered.poll(30, TimeUnit.SECONDS));
        c.close(); // not acked: back to the queue
        GetResponse again = getOrFail(ch, q, true);
        assertTrue(again.getEnvelope().isRedeliver());
        assertEquals(1L, ((Number) again.getProps().getHeaders().get("x-delivery-count")).longValue());
    }
}
