package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Clients that stop reading their socket. The broker runs with little direct memory (32 MiB) and heap, so
 * whatever it would pile up for such a client (deliveries, replies, returns, confirms) kills the
 * connection or the broker: with back-pressure the broker stops handing it deliveries and stops reading
 * its requests, everybody else goes on, and once the client reads again it gets everything, in order.
 */
@Timeout(180)
class BackPressureTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--body-memory-limit", "0",
                    // about back-pressure, not alarms: garbage in a small heap must not block publishers here
                    "--memory-high-watermark-bytes", Long.toString(1L << 30))
            .jvmOptions("-Xmx160m", "-XX:MaxDirectMemorySize=32m");

    private static final int BODY = 32 * 1024;
    private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "needs a broker started with small memory limits");
    }

    private static byte[] body(int i) {
        byte[] b = new byte[BODY];
        ByteBuffer.wrap(b).putInt(i);
        return b;
    }

    /**
     * A deep durable queue whose bodies are all on disk (read back for delivery), 96 MiB of them, and a
     * no-ack consumer that never reads: without a bound the broker reads thousands of bodies back and
     * writes them to that socket at once.
     */
    @Test
    void aConsumerThatStopsReadingHoldsNothingBackAndGetsEverythingInOrderLater() throws Exception {
        int n = 3000;
        String q = "bp.deep";
        try (Connection c = broker.connectionFactory().newConnection();
             RawAmqp stuck = RawAmqp.open(broker.host(), broker.port())) {
            Channel ch = c.createChannel();
            ch.queueDeclare(q, true, false, false, null);
            ch.confirmSelect();
            for (int i = 0; i < n; i++) {
                ch.basicPublish("", q, PERSISTENT, body(i));
            }
            ch.waitForConfirmsOrDie(60_000);

            stuck.openChannel(1);
            // basic.consume no-ack; the client reads nothing from now on (not even consume-ok)
            stuck.send(RawAmqp.METHOD, 1, RawAmqp.method(60, 20).s(0).shortstr(q).shortstr("stuck").octet(2)
                    .table(new byte[0]).bytes());

            // another consumer of the same queue gets the rest while the first one is stuck
            List<Integer> other = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch cancelled = new CountDownLatch(1);
            Channel oc = c.createChannel();
            oc.basicQos(100);
            String tag = oc.basicConsume(q, false, new DefaultConsumer(oc) {
                @Override
                public void handleDelivery(String t, Envelope env, AMQP.BasicProperties p, byte[] b)
                        throws java.io.IOException {
                    other.add(ByteBuffer.wrap(b).getInt());
                    oc.basicAck(env.getDeliveryTag(), false);
                }

                @Override
                public void handleCancelOk(String t) {
                    cancelled.countDown();
                }
            });
            // everything leaves the queue: the stuck consumer can only have taken a bounded share
            long deadline = System.currentTimeMillis() + 60_000;
            while (ch.queueDeclarePassive(q).getMessageCount() > 0) {
                assertTrue(System.currentTimeMillis() < deadline, "the other consumer drains the queue");
                Thread.sleep(50);
            }
            oc.basicCancel(tag);
            assertTrue(cancelled.await(30, TimeUnit.SECONDS));
            assertTrue(other.size() > n / 2, "the other consumer got most of the queue: " + other.size());

            // unrelated traffic is unharmed meanwhile
            Channel side = c.createChannel();
            String sq = side.queueDeclare().getQueue();
            side.basicPublish("", sq, null, "hello".getBytes(StandardCharsets.UTF_8));
            GetResponse got = side.basicGet(sq, true);
            assertNotNull(got);
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), got.getBody());

            // a marker behind everything the stuck consumer was handed
            ch.basicPublish("", q, PERSISTENT, body(-1));
            ch.waitForConfirmsOrDie(10_000);

            stuck.readFrame().expectMethod(60, 21); // consume-ok
            List<Integer> mine = new ArrayList<>();
            while (true) {
                RawAmqp.Frame deliver = stuck.readFrame();
                deliver.expectMethod(60, 60);
                RawAmqp.Frame header = stuck.readFrame();
                assertEquals(RawAmqp.HEADER, header.type());
                RawAmqp.Frame content = stuck.readFrame();
                assertEquals(RawAmqp.BODY, content.type());
                assertEquals(BODY, content.payload().length);
                int i = ByteBuffer.wrap(content.payload()).getInt();
                if (i == -1) {
                    break;
                }
                mine.add(i);
            }
            for (int k = 1; k < mine.size(); k++) {
                assertTrue(mine.get(k) > mine.get(k - 1), "in queue order: " + mine.get(k - 1) + " then " + mine.get(k));
            }
            TreeSet<Integer> all = new TreeSet<>(mine);
            all.addAll(other);
            assertEquals(n, mine.size() + other.size(), "no message twice");
            assertEquals(n, all.size(), "no message lost");
            assertEquals(0, all.first());
            assertEquals(n - 1, all.last());
            ch.queueDelete(q);
        }
        assertTrue(broker.isRunning());
    }

    /** What a client that reads nothing asks for: far more than the socket buffers on both sides hold. */
    private static final int OWED = 48 << 20; // above the socket buffers both sides may grow to (tcp_rmem max 32 MiB)

    /**
     * basic.get and basic.nack(requeue) of the same 256 KiB message in a loop, never reading a get-ok:
     * 40 bytes of request make the broker owe 256 KiB, 48 MiB in all.
     */
    @Test
    void aClientThatSendsRequestsButReadsNoRepliesIsNoLongerRead() throws Exception {
        String q = "bp.get";
        byte[] big = new byte[256 * 1024];
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.queueDeclare(q, false, false, false, null);
            ch.basicPublish("", q, null, big);
        }
        int requests = 192;
        stopsReadingUntilTheClientReads(i -> {
            ByteArrayOutputStream pair = new ByteArrayOutputStream();
            pair.writeBytes(RawAmqp.frame(RawAmqp.METHOD, 1, RawAmqp.method(60, 70).s(0).shortstr(q).octet(0).bytes()));
            pair.writeBytes(RawAmqp.frame(RawAmqp.METHOD, 1, RawAmqp.method(60, 120).ll(i + 1).octet(2).bytes()));
            return pair.toByteArray();
        }, requests, stuck -> {
            for (int i = 0; i < requests; i++) {
                RawAmqp.Frame ok = stuck.readFrame();
                ok.expectMethod(60, 71);
                assertEquals(i + 1, ByteBuffer.wrap(ok.payload(), 4, 8).getLong(), "get-oks in order");
                assertEquals(RawAmqp.HEADER, stuck.readFrame().type());
                int got = 0;
                while (got < big.length) {
                    RawAmqp.Frame body = stuck.readFrame();
                    assertEquals(RawAmqp.BODY, body.type());
                    got += body.payload().length;
                }
                assertEquals(big.length, got);
            }
        });
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            assertEquals(1, ch.queueDeclarePassive(q).getMessageCount(), "the message went back each time");
            ch.queueDelete(q);
        }
    }

    /**
     * Mandatory, unroutable publishes on a confirm channel, never reading: each owes a basic.return with
     * its body and a basic.ack.
     */
    @Test
    void aPublisherThatReadsNoReturnsNorConfirmsIsNoLongerRead() throws Exception {
        byte[] payload = new byte[1024];
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        one.write(RawAmqp.frame(RawAmqp.METHOD, 1, RawAmqp.method(60, 40).s(0).shortstr("").shortstr("bp.nowhere")
                .octet(1).bytes()));
        one.write(RawAmqp.frame(RawAmqp.HEADER, 1, new RawAmqp.Buf().s(60).s(0).ll(payload.length).s(0).bytes()));
        one.write(RawAmqp.frame(RawAmqp.BODY, 1, payload));
        byte[] publish = one.toByteArray();
        int requests = OWED / publish.length;
        stopsReadingUntilTheClientReads(i -> publish, requests, stuck -> {
            int returns = 0;
            long lastAck = 0;
            while (returns < requests || lastAck < requests) {
                RawAmqp.Frame f = stuck.readFrame();
                if (f.isMethod(60, 50)) {
                    assertEquals(RawAmqp.HEADER, stuck.readFrame().type());
                    assertEquals(payload.length, stuck.readFrame().payload().length);
                    returns++;
                } else {
                    f.expectMethod(60, 80);
                    long tag = ByteBuffer.wrap(f.payload(), 4, 8).getLong();
                    assertTrue(tag > lastAck, "acks in order");
                    assertTrue(tag <= returns, "the return comes before the ack of its message");
                    lastAck = tag;
                }
            }
            assertEquals(requests, returns);
            assertEquals(requests, lastAck);
        }, RawAmqp.frame(RawAmqp.METHOD, 1, RawAmqp.method(85, 10).octet(1).bytes()));
    }

    private interface Reader {
        void readAll(Frames stuck) throws Exception;
    }

    /** Buffered frame reading for the replies (RawAmqp reads byte by byte, too slow for 64 MiB). */
    private static final class Frames {
        private final DataInputStream in;

        Frames(RawAmqp raw) throws java.io.IOException {
            in = new DataInputStream(new BufferedInputStream(raw.socket.getInputStream(), 1 << 16));
        }

        RawAmqp.Frame readFrame() throws java.io.IOException {
            int type = in.readUnsignedByte();
            int channel = in.readUnsignedShort();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            assertEquals(RawAmqp.FRAME_END, in.readUnsignedByte());
            return new RawAmqp.Frame(type, channel, payload);
        }
    }

    /**
     * Opens a raw connection and channel 1, sends {@code setup}, then writes requests 0 to {@code count - 1}
     * from another thread without reading anything. The broker must pause the
     * connection (management state "flow", set where it stops reading) while others keep working; then the
     * client reads and must get every reply, in order, and its writer completes.
     */
    private void stopsReadingUntilTheClientReads(IntFunction<byte[]> request, int count, Reader reader,
                                                 byte[]... setup) throws Exception {
        try (RawAmqp stuck = RawAmqp.open(broker.host(), broker.port())) {
            stuck.openChannel(1);
            for (byte[] s : setup) {
                stuck.write(s);
            }
            AtomicLong written = new AtomicLong();
            CountDownLatch writerDone = new CountDownLatch(1);
            Throwable[] writerFailure = new Throwable[1];
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = new BufferedOutputStream(stuck.socket.getOutputStream(), 1 << 16);
                    for (int i = 0; i < count; i++) {
                        out.write(request.apply(i));
                        written.incrementAndGet();
                    }
                    out.flush();
                } catch (Throwable t) {
                    writerFailure[0] = t;
                } finally {
                    writerDone.countDown();
                }
            }, "stuck-writer");
            writer.setDaemon(true);
            writer.start();

            awaitConnectionState("flow");

            try (Connection c = broker.connectionFactory().newConnection()) {
                Channel ch = c.createChannel();
                String q = ch.queueDeclare().getQueue();
                ch.basicPublish("", q, null, "still here".getBytes(StandardCharsets.UTF_8));
                GetResponse r = ch.basicGet(q, true);
                assertNotNull(r, "other connections keep working");
            }

            stuck.socket.setSoTimeout(30_000);
            reader.readAll(new Frames(stuck));
            assertTrue(writerDone.await(30, TimeUnit.SECONDS));
            assertEquals(null, writerFailure[0]);
            assertEquals(count, written.get());
        }
        assertTrue(broker.isRunning());
    }

    /** Polls the management API until some connection is in this state. */
    private static void awaitConnectionState(String state) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + broker.httpPort() + "/api/connections"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(StandardCharsets.UTF_8)))
                .timeout(java.time.Duration.ofSeconds(10)).build();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            for (JsonNode conn : JSON.readTree(r.body())) {
                if (state.equals(conn.path("state").asText())) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        fail("no connection reached state '" + state + "'");
    }
}
