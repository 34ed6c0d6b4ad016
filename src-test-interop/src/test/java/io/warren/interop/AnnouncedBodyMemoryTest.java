package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.warren.interop.RawAmqp.BODY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Memory follows what arrived, never what a content header announced. A broker with a 64 MiB heap
 * gets 20 channels (over 4 connections) that each announce a 30 MB body, well under the 128 MiB
 * max-message-size, and then send 10 bytes: 600 MB announced, 200 bytes arrived. The hostile
 * connections must stay open (they did nothing wrong yet), the memory alarm must not go up, and a
 * normal client must still publish with confirms and consume, including a 10 MiB message that
 * arrives in many frames. Allocating the announced size (the old behaviour) runs the heap out at
 * the second channel.
 */
@Timeout(120)
class AnnouncedBodyMemoryTest {
    private static final int CONNECTIONS = 4;
    private static final int CHANNELS = 5;
    private static final long ANNOUNCED = 30_000_000;

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated().jvmOptions("-Xmx64m");

    @BeforeEach
    void onlyWarren() {
        // RabbitMQ 3.10 buffers as frames arrive too, but this broker's heap is set on its command line
        assumeFalse(WarrenBroker.external(), "needs a broker started with a small heap");
    }

    @Test
    void hugeAnnouncedBodiesCostNothingUntilTheyArrive() throws Exception {
        List<RawAmqp> hostile = new ArrayList<>();
        try {
            for (int c = 0; c < CONNECTIONS; c++) {
                RawAmqp r = RawAmqp.open(broker.host(), broker.port());
                hostile.add(r);
                for (int ch = 1; ch <= CHANNELS; ch++) {
                    r.openChannel(ch);
                    r.publishMethod(ch, "", "nowhere");
                    r.contentHeader(ch, 60, ANNOUNCED);
                    r.send(BODY, ch, new byte[10]);
                }
            }
            // each hostile connection still answers: its announced bodies did not take the broker down
            for (RawAmqp r : hostile) {
                r.openChannel(CHANNELS + 1);
            }

            byte[] big = new byte[10 * 1024 * 1024];
            Arrays.fill(big, (byte) 'w');
            big[big.length - 1] = '!';
            try (Connection conn = broker.connectionFactory().newConnection("normal-client")) {
                Channel ch = conn.createChannel();
                String q = ch.queueDeclare("", false, true, true, null).getQueue();
                ch.confirmSelect();
                ch.basicPublish("", q, null, "small".getBytes());
                ch.basicPublish("", q, null, big);
                // under a memory alarm the publisher would be blocked and the confirms would never come
                ch.waitForConfirmsOrDie(30_000);
                assertEquals("small", new String(getOrFail(ch, q).getBody()));
                assertArrayEquals(big, getOrFail(ch, q).getBody(), "the 10 MiB body, assembled from many frames");
            }

            // a hostile channel can still finish its message: what arrived so far was kept
            RawAmqp first = hostile.get(0);
            first.openChannel(CHANNELS + 2);
            first.publishMethod(CHANNELS + 2, "", "nowhere");
            first.contentHeader(CHANNELS + 2, 60, 3);
            first.send(BODY, CHANNELS + 2, "abc".getBytes());
            first.openChannel(CHANNELS + 3); // answered after the complete publish was taken
            assertTrue(broker.isRunning());
        } finally {
            hostile.forEach(RawAmqp::close);
        }
    }

    private static GetResponse getOrFail(Channel ch, String q) throws Exception {
        GetResponse g = ch.basicGet(q, true);
        assertNotNull(g, "message in " + q);
        return g;
    }
}
