package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
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
 * Stream queues over AMQP 0-9-1 as RabbitMQ 3.10 serves them (the texts and codes were observed on
 * 3.10; the class passes against it with -Dwarren.test.port): declare rules, consuming with
 * x-stream-offset, the x-stream-offset header, credit from acks, refusals of get, no-ack and purge.
 */
@Timeout(60)
class StreamQueueTest extends InteropTestBase {

    /** One delivery as the consumer saw it. */
    record Got(long tag, long offset, String body, boolean redelivered) {
    }

    private static Map<String, Object> stream(Object... more) {
        Map<String, Object> a = new HashMap<>();
        a.put("x-queue-type", "stream");
        for (int i = 0; i < more.length; i += 2) {
            a.put((String) more[i], more[i + 1]);
        }
        return a;
    }

    private String declareStream(Object... more) throws IOException {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, stream(more));
        return q;
    }

    /** One confirmed publish after the other (RabbitMQ then writes each in a chunk of its own). */
    private void publish(Channel c, String q, int from, int to) throws Exception {
        c.confirmSelect();
        for (int i = from; i < to; i++) {
            c.basicPublish("", q, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
            c.waitForConfirmsOrDie(10_000);
        }
    }

    /** Consumes with the given prefetch and offset; every delivery lands in the returned queue, unacked. */
    private BlockingQueue<Got> consume(Channel c, String q, int prefetch, Object offset) throws IOException {
        BlockingQueue<Got> got = new LinkedBlockingQueue<>();
        c.basicQos(prefetch);
        Map<String, Object> args = offset == null ? null : Map.of("x-stream-offset", offset);
        c.basicConsume(q, false, args, new DefaultConsumer(c) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                Object off = props.getHeaders() == null ? null : props.getHeaders().get("x-stream-offset");
                got.add(new Got(env.getDeliveryTag(), off instanceof Number n ? n.longValue() : -1,
                        new String(body, StandardCharsets.UTF_8), env.isRedeliver()));
            }
        });
        return got;
    }

    private static Got next(BlockingQueue<Got> got) throws InterruptedException {
        Got g = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(g, "no delivery within 10 s");
        return g;
    }

    private static List<Got> take(BlockingQueue<Got> got, int n) throws InterruptedException {
        List<Got> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next(got));
        }
        return out;
    }

    @Test
    void declareRefusesWhatAStreamCannotBe() throws Exception {
        String q = queueName();
        String text = assertChannelError(406, ch, () -> ch.queueDeclare(q, false, false, false, stream()));
        assertEquals("PRECONDITION_FAILED - invalid property 'non-durable' for queue '" + q + "' in vhost '/'", text);
        ch = conn.createChannel();
        text = assertChannelError(406, ch, () -> ch.queueDeclare(q, true, true, false, stream()));
        assertEquals("PRECONDITION_FAILED - invalid property 'exclusive-owner' for queue '" + q + "' in vhost '/'", text);
        ch = conn.createChannel();
        text = assertChannelError(406, ch, () -> ch.queueDeclare(q, true, true, true, stream()));
        assertEquals("PRECONDITION_FAILED - invalid property 'auto-delete' for queue '" + q + "' in vhost '/'", text);
        ch = conn.createChannel();
        text = assertChannelError(406, ch, () -> ch.queueDeclare("", true, false, false, stream()));
        assertEquals("PRECONDITION_FAILED - Cannot declare a server-named queue for type rabbit_stream_queue", text);
        ch = conn.createChannel();
        text = assertChannelError(406, ch, () -> ch.queueDeclare(q, true, false, false, stream("x-max-length", 10)));
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-max-length' for queue '" + q
                + "' in vhost '/' of queue type rabbit_stream_queue", text);
        ch = conn.createChannel();
        text = assertChannelError(406, ch, () -> ch.queueDeclare(q, false, false, false, stream("x-max-age", "10")));
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-max-age' for queue '" + q + "' in vhost '/': invalid_max_age",
                text, "argument values are checked before the flags");
        ch = conn.createChannel();
        text = assertChannelError(406, ch, () -> ch.queueDeclare(q, true, false, false, stream("x-max-age", 10)));
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-max-age' for queue '" + q
                + "' in vhost '/': {unacceptable_type,signedint}", text);
        ch = conn.createChannel();
        text = assertChannelError(406, ch, () -> ch.queueDeclare(q, true, false, false,
                stream("x-stream-max-segment-size-bytes", -5)));
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-stream-max-segment-size-bytes' for queue '" + q
                + "' in vhost '/': {value_negative,-5}", text);
        ch = conn.createChannel();
        ch.queueDeclare(q, true, false, false, stream("x-max-age", "7D"));
        ch.queueDeclare(q, true, false, false, stream("x-max-age", "7D")); // an equivalent redeclare
        text = assertChannelError(406, ch, () -> ch.queueDeclare(q, true, false, false, null));
        assertTrue(text.startsWith("PRECONDITION_FAILED - inequivalent arg '"), text);
    }

    @Test
    void consumersReadFromFirstWithTheOffsetHeaderAndMessagesStay() throws Exception {
        String q = declareStream();
        publish(ch, q, 0, 10);
        Channel c = conn.createChannel();
        BlockingQueue<Got> got = consume(c, q, 100, "first");
        List<Got> all = take(got, 10);
        for (int i = 0; i < 10; i++) {
            assertEquals(i, all.get(i).offset());
            assertEquals("m" + i, all.get(i).body());
            assertFalse(all.get(i).redelivered());
        }
        c.basicAck(all.get(9).tag(), true);
        // acks remove nothing: a second reader sees all of them again
        BlockingQueue<Got> again = consume(conn.createChannel(), q, 100, "first");
        assertEquals("m0", next(again).body());
    }

    @Test
    void offsetSpecificationsPickTheStart() throws Exception {
        String q = declareStream();
        publish(ch, q, 0, 5);
        assertEquals(2, next(consume(conn.createChannel(), q, 10, 2)).offset(), "numeric");
        assertEquals(4, next(consume(conn.createChannel(), q, 10, "last")).offset(), "last");
        assertEquals(0, next(consume(conn.createChannel(), q, 10, -1)).offset(), "below the first: first");
        assertEquals(0, next(consume(conn.createChannel(), q, 10, "1h")).offset(), "an interval ago");
        assertEquals(0, next(consume(conn.createChannel(), q, 10,
                new Date(System.currentTimeMillis() - 3_600_000L))).offset(), "a timestamp");
        BlockingQueue<Got> next = consume(conn.createChannel(), q, 10, "next");
        BlockingQueue<Got> none = consume(conn.createChannel(), q, 10, null);
        BlockingQueue<Got> beyond = consume(conn.createChannel(), q, 10, 6); // past the end: waits for it
        BlockingQueue<Got> future = consume(conn.createChannel(), q, 10,
                new Date(System.currentTimeMillis() + 3_600_000L));
        publish(ch, q, 5, 7); // markers: those starting at the end get 5 first
        assertEquals(5, next(next).offset(), "next");
        assertEquals(5, next(none).offset(), "no x-stream-offset is next");
        assertEquals(6, next(beyond).offset(), "a numeric offset past the end waits for that offset");
        assertEquals(5, next(future).offset(), "a future timestamp waits for new messages");
    }

    @Test
    void creditComesBackWithAcks() throws Exception {
        String q = declareStream();
        publish(ch, q, 0, 10);
        Channel slow = conn.createChannel();
        BlockingQueue<Got> got = consume(slow, q, 3, "first");
        List<Got> first = take(got, 3);
        assertEquals(List.of(0L, 1L, 2L), first.stream().map(Got::offset).toList());
        // a reader on another channel reads to the end: by then the slow one still has only its prefetch
        BlockingQueue<Got> fast = consume(conn.createChannel(), q, 100, "first");
        assertEquals(9, take(fast, 10).get(9).offset());
        if (!WarrenBroker.external()) { // RabbitMQ hands out whole chunks and may exceed the prefetch
            assertNull(got.poll(), "no more than the prefetch unacked");
        }
        // each ack returns credit: the rest follows in order, never redelivered
        slow.basicAck(first.get(2).tag(), true);
        for (long expected = 3; expected < 10; expected++) {
            Got g = next(got);
            assertEquals(expected, g.offset());
            assertFalse(g.redelivered());
            slow.basicAck(g.tag(), false);
        }
    }

    @Test
    void nackAndRejectAreRefusedAsRabbitMqRefusesThem() throws Exception {
        String q = declareStream();
        publish(ch, q, 0, 2);
        Channel c = conn.createChannel();
        BlockingQueue<Got> got = consume(c, q, 10, "first");
        Got g = next(got);
        String text = assertConnectionError(540, conn, () -> {
            c.basicNack(g.tag(), false, true);
            c.basicQos(10); // a round trip: the refusal closes the connection before its answer
        });
        assertEquals("NOT_IMPLEMENTED - basic.nack and basic.reject not supported by stream queues queue '" + q
                + "' in vhost '/'", text);
        conn = newConnection();
        Channel c2 = conn.createChannel();
        Got g2 = next(consume(c2, q, 10, "first"));
        assertConnectionError(540, conn, () -> {
            c2.basicReject(g2.tag(), false);
            c2.basicQos(10);
        });
    }

    @Test
    void getNoAckPurgeAndConsumerArgumentsAreRefusedAsRabbitMqRefusesThem() throws Exception {
        String q = declareStream();
        String text = assertConnectionError(540, conn, () -> ch.basicGet(q, false));
        assertEquals("NOT_IMPLEMENTED - basic.get not supported by stream queues queue '" + q + "' in vhost '/'", text);
        conn = newConnection();
        ch = conn.createChannel();
        text = assertConnectionError(540, conn, () -> ch.queuePurge(q));
        assertEquals("NOT_IMPLEMENTED - queue.purge not supported by stream queues queue '" + q + "' in vhost '/'", text);
        conn = newConnection();
        ch = conn.createChannel();
        text = assertChannelError(406, ch, () -> ch.basicConsume(q, false, new DefaultConsumer(ch)));
        assertEquals("PRECONDITION_FAILED - consumer prefetch count is not set for 'queue '" + q + "' in vhost '/''", text);
        ch = conn.createChannel();
        ch.basicQos(10, true); // a channel-wide limit is not a consumer prefetch
        text = assertChannelError(406, ch, () -> ch.basicConsume(q, false, new DefaultConsumer(ch)));
        assertEquals("PRECONDITION_FAILED - consumer prefetch count is not set for 'queue '" + q + "' in vhost '/''", text);
        ch = conn.createChannel();
        ch.basicQos(10);
        text = assertChannelError(406, ch, () -> ch.basicConsume(q, false, Map.of("x-priority", 3), new DefaultConsumer(ch)));
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-priority' for queue '" + q
                + "' in vhost '/' of queue type rabbit_stream_queue", text);
        ch = conn.createChannel();
        ch.basicQos(10);
        text = assertConnectionError(540, conn, () -> ch.basicConsume(q, true, new DefaultConsumer(ch)));
        assertEquals("NOT_IMPLEMENTED - automatic acknowledgement not supported by stream queues queue '" + q
                + "' in vhost '/'", text);
    }

    @Test
    void retentionDropsWholeSegmentsFromTheHead() throws Exception {
        String q = declareStream("x-max-length-bytes", 40_000, "x-stream-max-segment-size-bytes", 10_000);
        ch.confirmSelect();
        for (int i = 0; i < 200; i++) {
            byte[] kib = java.util.Arrays.copyOf(("m" + i).getBytes(StandardCharsets.UTF_8), 1000);
            ch.basicPublish("", q, null, kib);
            ch.waitForConfirmsOrDie(10_000); // one at a time: segments roll (and retention runs) as they fill
        }
        Got first = next(consume(conn.createChannel(), q, 10, "first"));
        assertTrue(first.offset() > 100, "the head was trimmed, first offset now " + first.offset());
        Got last = next(consume(conn.createChannel(), q, 10, "last"));
        assertTrue(last.body().startsWith("m199\0"), "last is the newest message");
    }
}
