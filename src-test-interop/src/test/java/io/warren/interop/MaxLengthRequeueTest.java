package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * x-max-length with the default overflow (drop-head) holds after requeues too, as RabbitMQ 3.10's requeue_and_run
 * (maybe_drop_head after the requeue): a message put back at its old place makes the queue too long, and the head —
 * often the requeued message itself — is dropped, dead-lettered as maxlen with a DLX. Observed on RabbitMQ 3.10 for
 * nack, reject, basic.recover and a channel closed with unacked messages (also after basic.cancel).
 */
class MaxLengthRequeueTest extends InteropTestBase {

    private String q;
    private String dlq;
    private Channel client;

    /** A queue of max length 2 dead-lettering to dlq, holding m1 and m2. */
    private void setUp(Map<String, Object> extra) throws Exception {
        q = queueName("limited");
        dlq = queueName("dlq");
        ch.queueDeclare(dlq, false, false, false, null);
        Map<String, Object> args = new java.util.HashMap<>(Map.of("x-max-length", 2,
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
        args.putAll(extra);
        ch.queueDeclare(q, false, false, false, args);
        client = conn.createChannel();
        client.confirmSelect();
        publish("m1", "m2");
    }

    private void publish(String... bodies) throws Exception {
        for (String b : bodies) {
            client.basicPublish("", q, null, b.getBytes(StandardCharsets.UTF_8));
        }
        client.waitForConfirmsOrDie(5_000);
    }

    /** Drains a queue: bodies, and for dead letters the reason of their newest x-death entry. */
    private List<String> drain(String queue) throws Exception {
        List<String> out = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(queue, true)) != null) {
            String body = new String(r.getBody(), StandardCharsets.UTF_8);
            Map<String, Object> h = r.getProps().getHeaders();
            if (h != null && h.get("x-death") instanceof List<?> deaths) {
                body += ":" + ((Map<?, ?>) deaths.get(0)).get("reason");
            }
            out.add(body);
        }
        return out;
    }

    /** After the requeue, the queue holds m3 m4 and m2 (dropped at publish), then m1 (dropped after requeue) are dead. */
    private void assertHeadDropped(List<String> dead) throws Exception {
        awaitMessageCount(dlq, dead.size());
        assertEquals(2, ch.queueDeclarePassive(q).getMessageCount());
        assertEquals(List.of("m3", "m4"), drain(q));
        assertEquals(dead, drain(dlq));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nack", "reject", "recover"})
    void aRequeuedGetIsDroppedFromTheHead(String how) throws Exception {
        setUp(Map.of());
        long tag = client.basicGet(q, false).getEnvelope().getDeliveryTag(); // m1 unacked, m2 ready
        publish("m3", "m4"); // m2 m3 m4 -> m2 is dropped: m3 m4
        switch (how) {
            case "nack" -> client.basicNack(tag, false, true);
            case "reject" -> client.basicReject(tag, true);
            default -> client.basicRecover(true);
        }
        assertHeadDropped(List.of("m2:maxlen", "m1:maxlen"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void closingAChannelWithUnackedDeliveriesKeepsTheLimit(boolean cancelFirst) throws Exception {
        setUp(Map.of());
        BlockingQueue<Long> delivered = new LinkedBlockingQueue<>();
        client.basicQos(1);
        String tag = client.basicConsume(q, false, (t, d) -> delivered.add(d.getEnvelope().getDeliveryTag()), t -> { });
        assertNotNull(delivered.poll(5, TimeUnit.SECONDS), "no delivery");
        if (cancelFirst) {
            client.basicCancel(tag); // the delivery stays unacked until the channel closes
        }
        publish("m3", "m4");
        client.close();
        assertHeadDropped(List.of("m2:maxlen", "m1:maxlen"));
    }

    @Test
    void aMultipleNackDropsEveryRequeuedHeadInOrder() throws Exception {
        setUp(Map.of());
        client.basicGet(q, false);
        long second = client.basicGet(q, false).getEnvelope().getDeliveryTag();
        publish("m3", "m4"); // nothing dropped: m1 and m2 are unacked
        client.basicNack(second, true, true); // m1 m2 m3 m4 -> m1, then m2 go
        awaitMessageCount(dlq, 2);
        assertEquals(List.of("m3", "m4"), drain(q));
        assertEquals(List.of("m1:maxlen", "m2:maxlen"), drain(dlq));
    }

    @Test
    void theByteLimitHoldsAfterARequeueToo() throws Exception {
        setUp(Map.of("x-max-length-bytes", 4)); // two 2-byte bodies
        long tag = client.basicGet(q, false).getEnvelope().getDeliveryTag();
        publish("m3", "m4");
        client.basicNack(tag, false, true);
        assertHeadDropped(List.of("m2:maxlen", "m1:maxlen"));
    }

    @Test
    void rejectPublishDoesNotDropOnRequeue() throws Exception {
        // RabbitMQ only refuses new publishes: a requeue may leave the queue over its limit
        setUp(Map.of("x-overflow", "reject-publish"));
        long tag = client.basicGet(q, false).getEnvelope().getDeliveryTag(); // m2 ready
        client.basicPublish("", q, null, "m3".getBytes(StandardCharsets.UTF_8));
        client.waitForConfirmsOrDie(5_000); // m2 m3
        client.basicNack(tag, false, true);
        awaitMessageCount(q, 3);
        assertEquals(List.of("m1", "m2", "m3"), drain(q));
        assertEquals(List.of(), drain(dlq));
    }
}
