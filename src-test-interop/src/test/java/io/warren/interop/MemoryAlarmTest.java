package io.warren.interop;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A broker whose memory high watermark (1 byte) is always exceeded: publishing connections get
 * connection.blocked and are no longer read, connections that only consume keep working — as with
 * RabbitMQ's memory alarm.
 */
@Timeout(60)
class MemoryAlarmTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--memory-high-watermark-bytes", "1");

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with a tiny memory watermark");
    }

    @Test
    void publishersAreBlockedAndConsumersAreNot() throws Exception {
        Connection publisherConn = broker.connectionFactory().newConnection();
        try (Connection consumerConn = broker.connectionFactory().newConnection()) {
            BlockingQueue<String> blocked = new LinkedBlockingQueue<>();
            publisherConn.addBlockedListener(new BlockedListener() {
                @Override
                public void handleBlocked(String reason) {
                    blocked.add(reason);
                }

                @Override
                public void handleUnblocked() {
                    blocked.add("unblocked");
                }
            });
            Channel consumer = consumerConn.createChannel();
            String q = consumer.queueDeclare().getQueue();
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            consumer.basicConsume(q, true, (t, d) -> got.add(new String(d.getBody(), StandardCharsets.UTF_8)), t -> { });

            Channel pub = publisherConn.createChannel();
            pub.basicPublish("", q, null, "first".getBytes(StandardCharsets.UTF_8));
            assertEquals("low on memory", blocked.poll(10, TimeUnit.SECONDS));
            // once blocked the publisher's socket is not read: later publishes do not arrive
            pub.basicPublish("", q, null, "second".getBytes(StandardCharsets.UTF_8));
            String first = got.poll(5, TimeUnit.SECONDS);
            assertTrue(first == null || first.equals("first"), "only the message that triggered the block may pass: " + first);
            assertEquals(null, got.poll(1, TimeUnit.SECONDS), "nothing more gets through while blocked");

            // a consumer-only connection is not blocked: it can still declare and get
            Channel other = consumerConn.createChannel();
            String q2 = other.queueDeclare().getQueue();
            assertEquals(0, other.messageCount(q2));
            assertTrue(blocked.stream().noneMatch("unblocked"::equals));
        } finally {
            // a blocked connection is not read, so a close handshake would wait for the alarm: abort
            publisherConn.abort(1000);
        }
    }
}
