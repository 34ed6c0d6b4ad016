package io.warren.interop;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The memory alarm counts direct memory, not only the heap. The broker's heap is capped at 64 MiB and
 * the watermark is 96 MiB, so the heap alone can never raise the alarm: six consumers that do not read,
 * each owed one 24 MiB message (one shared body in the heap, six copies in outbound direct buffers), must.
 */
@Timeout(120)
class DirectMemoryAlarmTest {
    private static final int CONSUMERS = 6;
    private static final int SIZE = 24 << 20;

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--memory-high-watermark-bytes", Long.toString(96L << 20))
            .jvmOptions("-Xmx64m", "-XX:MaxDirectMemorySize=512m");

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with a small heap and its own watermark");
    }

    @Test
    void directBuffersHeldForSlowConsumersRaiseTheAlarmAndItClearsWhenTheyRead() throws Exception {
        List<RawAmqp> stuck = new ArrayList<>();
        Connection publisher = broker.connectionFactory().newConnection();
        try {
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            publisher.addBlockedListener(new BlockedListener() {
                @Override
                public void handleBlocked(String reason) {
                    events.add(reason);
                }

                @Override
                public void handleUnblocked() {
                    events.add("unblocked");
                }
            });
            Channel ch = publisher.createChannel();
            ch.exchangeDeclare("dm.fan", "fanout");
            for (int i = 0; i < CONSUMERS; i++) {
                String q = "dm.q" + i;
                ch.queueDeclare(q, false, false, true, null);
                ch.queueBind(q, "dm.fan", "");
                RawAmqp r = RawAmqp.open(broker.host(), broker.port());
                stuck.add(r);
                r.openChannel(1);
                // no-ack consume; nothing is read from here on
                r.send(RawAmqp.METHOD, 1, RawAmqp.method(60, 20).s(0).shortstr(q).shortstr("c").octet(2)
                        .table(new byte[0]).bytes());
            }
            ch.basicPublish("dm.fan", "", null, new byte[SIZE]);
            assertEquals("low on memory", events.poll(30, TimeUnit.SECONDS), "the alarm counts direct memory");

            for (RawAmqp r : stuck) {
                r.socket.setSoTimeout(30_000);
                r.readFrame().expectMethod(60, 21);
                r.readFrame().expectMethod(60, 60);
                assertEquals(RawAmqp.HEADER, r.readFrame().type());
                long got = 0;
                while (got < SIZE) {
                    RawAmqp.Frame body = r.readFrame();
                    assertEquals(RawAmqp.BODY, body.type());
                    got += body.payload().length;
                }
                assertEquals(SIZE, got);
            }
            assertEquals("unblocked", events.poll(30, TimeUnit.SECONDS), "read out, the direct memory is given back");
            assertTrue(events.isEmpty());
        } finally {
            stuck.forEach(RawAmqp::close);
            publisher.abort(1000);
        }
    }
}
