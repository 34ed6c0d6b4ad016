package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * With {@code --body-memory-limit 0} every synced persistent body held only by durable queues
 * leaves the heap at once, so each delivery, get, requeue and dead letter reads it back from the
 * store, and they survive a restart: the client must see exactly the same bytes, in the same order.
 */
@Timeout(120)
class LazyBodyTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--body-memory-limit", "0");

    private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2)
            .contentType("application/octet-stream").headers(Map.of("k", "v")).build();

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with --body-memory-limit");
    }

    /** A body that encodes its number and has a size of its own (some above frame_max). */
    private static byte[] body(int i) {
        int size = 8 + (i % 7 == 0 ? 140_000 : i % 300);
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) i);
        ByteBuffer.wrap(b).putInt(i).putInt(size);
        return b;
    }

    private static int number(byte[] b) {
        assertEquals(ByteBuffer.wrap(b).getInt(4), b.length, "size written into the body");
        return ByteBuffer.wrap(b).getInt();
    }

    @Test
    void evictedBodiesComeBackIntactThroughEveryPath() throws Exception {
        int n = 600;
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.exchangeDeclare("lazy.dlx", "fanout", true);
            ch.queueDeclare("lazy.dead", true, false, false, null);
            ch.queueBind("lazy.dead", "lazy.dlx", "");
            ch.queueDeclare("lazy.q", true, false, false, Map.of("x-dead-letter-exchange", "lazy.dlx"));
            ch.confirmSelect();
            for (int i = 0; i < n; i++) {
                ch.basicPublish("", "lazy.q", PERSISTENT, body(i));
            }
            ch.waitForConfirmsOrDie(30_000);

            GetResponse first = ch.basicGet("lazy.q", false);
            assertEquals(0, number(first.getBody()));
            assertArrayEquals(body(0), first.getBody());
            ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true); // requeued: read again later
            GetResponse again = ch.basicGet("lazy.q", false);
            assertArrayEquals(body(0), again.getBody());
            ch.basicReject(again.getEnvelope().getDeliveryTag(), false); // dead-lettered from disk
            GetResponse dead = ch.basicGet("lazy.dead", true);
            assertNotNull(dead);
            assertArrayEquals(body(0), dead.getBody());
        }
        broker.restart(); // the store must still hold the bodies that were only on disk
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            assertEquals(n - 1, ch.queueDeclarePassive("lazy.q").getMessageCount());
            BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
            ch.basicQos(50);
            ch.basicConsume("lazy.q", false, (t, d) -> {
                got.add(d);
                ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
            }, t -> { });
            for (int i = 1; i < n; i++) {
                Delivery d = got.poll(20, TimeUnit.SECONDS);
                assertNotNull(d, "message " + i);
                assertEquals(i, number(d.getBody()), "publish order");
                assertArrayEquals(body(i), d.getBody());
                assertEquals("v", d.getProperties().getHeaders().get("k").toString());
            }
            for (String q : List.of("lazy.q", "lazy.dead")) {
                c.createChannel().queueDelete(q);
            }
        }
    }

    @Test
    void aFanOutToATransientQueueKeepsItsBodyInMemoryAndBothCopiesArrive() throws Exception {
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.exchangeDeclare("lazy.fan", "fanout", true);
            ch.queueDeclare("lazy.durable", true, false, false, null);
            ch.queueDeclare("lazy.transient", false, false, false, null);
            ch.queueBind("lazy.durable", "lazy.fan", "");
            ch.queueBind("lazy.transient", "lazy.fan", "");
            ch.confirmSelect();
            for (int i = 0; i < 50; i++) {
                ch.basicPublish("lazy.fan", "", PERSISTENT, body(i));
            }
            ch.waitForConfirmsOrDie(10_000);
            for (int i = 0; i < 50; i++) {
                assertArrayEquals(body(i), ch.basicGet("lazy.durable", true).getBody());
                assertArrayEquals(body(i), ch.basicGet("lazy.transient", true).getBody());
            }
            ch.queueDelete("lazy.durable");
            ch.queueDelete("lazy.transient");
            ch.exchangeDelete("lazy.fan");
        }
    }
}
