package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every queue reachable from every node: three real broker processes, a classic queue living on
 * the node that declared it, publishes and consumers on the other nodes going over the
 * node-to-node link, RabbitMQ's 404 while its node is down, and its durable messages back when
 * that node returns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ClusterLinkTest {
    private static final long WAIT_MS = 60_000;
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);



    @Test
    @Order(1)
    void publishedOnOneNodeToAQueueOnAnotherAndConsumedOnAThird() throws Exception {
        declareOn(2, "homed-on-n2");
        try (Connection c1 = connect(1); Connection c3 = connect(3)) {
            Channel pub = c1.createChannel();
            pub.confirmSelect();
            for (int i = 0; i < 50; i++) {
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2)
                        .contentType("text/plain").headers(Map.of("i", i)).build();
                pub.basicPublish("", "homed-on-n2", props, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            // confirmed only once n2 took (and, persistent to a durable queue, stored) them
            pub.waitForConfirmsOrDie(30_000);
            // a passive declare through any node tells the queue's real depth, as in RabbitMQ
            assertEquals(50, c1.createChannel().queueDeclarePassive("homed-on-n2").getMessageCount());
            assertEquals(50, c3.createChannel().queueDeclarePassive("homed-on-n2").getMessageCount());

            Channel sub = c3.createChannel();
            sub.basicQos(10);
            BlockingQueue<Delivered> got = consume(sub, "homed-on-n2");
            for (int i = 0; i < 50; i++) {
                Delivered d = got.poll(30, TimeUnit.SECONDS);
                assertNotNull(d, "delivery " + i);
                if (i == 0) { // delivered: the home has the consumer on n3, and counts it for every node
                    AMQP.Queue.DeclareOk seen = c1.createChannel().queueDeclarePassive("homed-on-n2");
                    assertEquals(1, seen.getConsumerCount());
                    assertEquals(40, seen.getMessageCount(), "10 delivered to the prefetch, unacked");
                }
                assertEquals("m" + i, d.body(), "in publish order");
                assertEquals("text/plain", d.props().getContentType());
                assertEquals(i, d.props().getHeaders().get("i"));
                assertEquals(2, d.props().getDeliveryMode());
                sub.basicAck(d.tag(), false);
            }
        }
        try (Connection c2 = connect(2); Channel ch = c2.createChannel()) {
            AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive("homed-on-n2");
            assertEquals(0, ok.getMessageCount(), "acked on n3: settled at the home");
        }
    }

    /**
     * A deep durable queue keeps most bodies on disk only; a consumer and basic.get on other nodes get
     * them read back (off the link's event loop) and still in queue order, interleaved with bodies in memory.
     */
    @Test
    @Order(1)
    void pagedOutBodiesReachConsumersOnOtherNodesInOrder() throws Exception {
        int count = 3_000; // a durable queue keeps its first 1,024 bodies in memory and pages out the rest
        declareOn(2, "deep-on-n2");
        try (Connection c1 = connect(1); Connection c2 = connect(2); Connection c3 = connect(3)) {
            Channel pub = c2.createChannel();
            pub.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
            for (int i = 0; i < count; i++) {
                pub.basicPublish("", "deep-on-n2", persistent, ("deep" + i).getBytes(StandardCharsets.UTF_8));
            }
            pub.waitForConfirmsOrDie(60_000);
            com.fasterxml.jackson.databind.JsonNode q = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    cluster.http(2, "GET", "/api/queues/%2F/deep-on-n2", null).body());
            assertTrue(q.path("messages_paged_out").asLong() > 0, "bodies were paged out: " + q);

            GetResponse first = c3.createChannel().basicGet("deep-on-n2", true);
            assertEquals("deep0", new String(first.getBody(), StandardCharsets.UTF_8));
            Channel sub = c1.createChannel();
            sub.basicQos(300);
            BlockingQueue<Delivered> got = consume(sub, "deep-on-n2");
            for (int i = 1; i < count; i++) {
                Delivered d = got.poll(30, TimeUnit.SECONDS);
                assertNotNull(d, "delivery " + i);
                assertEquals("deep" + i, d.body(), "in queue order");
                sub.basicAck(d.tag(), false);
            }
        }
    }

    /**
     * Credit flow across nodes: a publisher on n1 outrunning the consumer of a queue on n2 is held (its
     * connection on n1 goes into state flow, as for a local queue) while that queue is backed up, and
     * publishes on once the consumer caught up; every message arrives, in order.
     */
    @Test
    @Order(1)
    void aPublisherOnAnotherNodeIsHeldWhileTheQueueIsBackedUp() throws Exception {
        int count = 20_000; // the queue holds its publishers back above 2,000 ready messages
        declareOn(2, "flow-on-n2");
        try (Connection consuming = connect(2); Connection publishing = connect(1)) {
            Channel sub = consuming.createChannel();
            sub.basicQos(1_000); // takes 1,000 and acks nothing until the publisher was held
            BlockingQueue<Delivered> got = consume(sub, "flow-on-n2");
            java.util.concurrent.CompletableFuture<Void> published = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    Channel pub = publishing.createChannel();
                    pub.confirmSelect();
                    for (int i = 0; i < count; i++) {
                        pub.basicPublish("", "flow-on-n2", null, ("f" + i).getBytes(StandardCharsets.UTF_8));
                    }
                    pub.waitForConfirmsOrDie(60_000);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            await(() -> {
                for (com.fasterxml.jackson.databind.JsonNode c : new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(cluster.http(1, "GET", "/api/connections", null).body())) {
                    if ("flow".equals(c.path("state").asText())) {
                        return true;
                    }
                }
                return published.isDone();
            });
            assertTrue(!published.isDone(), "the publisher on n1 was never held (state flow) by the queue on n2");
            for (int i = 0; i < count; i++) {
                Delivered d = got.poll(30, TimeUnit.SECONDS);
                assertNotNull(d, "delivery " + i);
                assertEquals("f" + i, d.body(), "in publish order");
                sub.basicAck(d.tag(), false);
            }
            published.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(2)
    void prefetchGetNackAndRequeueWorkAcrossNodes() throws Exception {
        declareOn(2, "work");
        try (Connection c1 = connect(1); Connection c2 = connect(2); Connection c3 = connect(3)) {
            Channel home = c2.createChannel();
            home.confirmSelect();
            for (int i = 1; i <= 5; i++) {
                home.basicPublish("", "work", null, ("w" + i).getBytes(StandardCharsets.UTF_8));
            }
            home.waitForConfirmsOrDie(10_000);

            Channel sub = c3.createChannel();
            sub.basicQos(2);
            BlockingQueue<Delivered> got = consume(sub, "work");
            Delivered first = got.poll(30, TimeUnit.SECONDS);
            Delivered second = got.poll(30, TimeUnit.SECONDS);
            assertEquals("w1", first.body());
            assertEquals("w2", second.body());

            // the consumer on n3 holds its prefetch of 2: the third message is still in the queue on n2
            Channel getter = c1.createChannel();
            GetResponse third = getter.basicGet("work", false);
            assertNotNull(third);
            assertEquals("w3", new String(third.getBody(), StandardCharsets.UTF_8));
            assertEquals(2, third.getMessageCount(), "w4 and w5 left");
            assertTrue(got.isEmpty());
            getter.basicNack(third.getEnvelope().getDeliveryTag(), false, true); // back to its place on n2
            // a round trip over the same n1 -> n2 link: when it answers, n2 has applied the nack before it
            getter.basicGet("homed-on-n2", true);

            sub.basicAck(first.tag(), false); // credit back: the home delivers the requeued w3 next
            Delivered again = got.poll(30, TimeUnit.SECONDS);
            assertEquals("w3", again.body());
            assertTrue(again.redelivered(), "requeued once");
            sub.basicNack(second.tag(), false, true);
            Delivered w2 = got.poll(30, TimeUnit.SECONDS);
            assertEquals("w2", w2.body());
            assertTrue(w2.redelivered());
        }
    }

    @Test
    @Order(3)
    void aQueueWhoseNodeIsDownAnswers404AndComesBackWithItsMessages() throws Exception {
        declareOn(2, "survives");
        declareOn(1, "on-n1");
        try (Connection c1 = connect(1); Channel pub = c1.createChannel()) {
            pub.confirmSelect();
            for (int i = 0; i < 3; i++) {
                pub.basicPublish("", "survives", MessageProperties.PERSISTENT_TEXT_PLAIN,
                        ("s" + i).getBytes(StandardCharsets.UTF_8));
            }
            pub.waitForConfirmsOrDie(30_000); // stored on n2 before the confirm
        }
        // a consumer on n3 holds the three unacked when their home dies: it is cancelled, they stay stored
        Connection watcher = connect(3);
        Channel watching = watcher.createChannel();
        BlockingQueue<String> held = new LinkedBlockingQueue<>();
        java.util.concurrent.CompletableFuture<String> cancelled = new java.util.concurrent.CompletableFuture<>();
        watching.basicConsume("survives", false, (tag, d) -> held.add(new String(d.getBody(), StandardCharsets.UTF_8)),
                cancelled::complete);
        for (int i = 0; i < 3; i++) {
            assertEquals("s" + i, held.poll(30, TimeUnit.SECONDS));
        }
        cluster.node(2).kill();
        assertNotNull(cancelled.get(30, TimeUnit.SECONDS), "basic.cancel when the queue's home went");
        watcher.close();
        String text = "NOT_FOUND - home node 'n2' of durable queue 'survives' in vhost '/' is down or inaccessible";
        try (Connection c3 = connect(3)) {
            await(() -> refusal(c3, ch -> ch.queueDeclarePassive("survives")) != null);
            assertEquals(text, refusal(c3, ch -> ch.queueDeclare("survives", true, false, false, null)));
            assertEquals(text, refusal(c3, ch -> ch.basicConsume("survives", true, (t, d) -> { }, t -> { })));
            assertEquals(text, refusal(c3, ch -> ch.basicGet("survives", true)));

            // other queues are not affected
            Channel ch = c3.createChannel();
            ch.confirmSelect();
            ch.basicPublish("", "on-n1", null, "fine".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
            assertEquals("fine", new String(ch.basicGet("on-n1", true).getBody(), StandardCharsets.UTF_8));
        }
        cluster.start(2);
        try (Connection c3 = connect(3)) {
            await(() -> refusal(c3, ch -> ch.queueDeclarePassive("survives")) == null);
            Channel ch = c3.createChannel();
            List<String> back = new ArrayList<>();
            for (GetResponse r = ch.basicGet("survives", true); r != null; r = ch.basicGet("survives", true)) {
                back.add(new String(r.getBody(), StandardCharsets.UTF_8));
            }
            assertEquals(List.of("s0", "s1", "s2"), back);
        }
    }

    @Test
    @Order(4)
    void aRestartedNodeStillSendsToTheQueueOnItsHome() throws Exception {
        // n3 keeps the durable definition of homed-on-n2 on its disk and recovers it before it hears the cluster
        cluster.node(3).kill();
        cluster.start(3);
        try (Connection c3 = connect(3); Connection c2 = connect(2)) {
            await(() -> refusal(c3, ch -> ch.queueDeclarePassive("homed-on-n2")) == null);
            Channel pub = c3.createChannel();
            pub.confirmSelect();
            pub.basicPublish("", "homed-on-n2", null, "from restarted n3".getBytes(StandardCharsets.UTF_8));
            pub.waitForConfirmsOrDie(10_000);
            GetResponse r = c2.createChannel().basicGet("homed-on-n2", true);
            assertNotNull(r, "the message went to the queue's home, not to a copy on n3");
            assertEquals("from restarted n3", new String(r.getBody(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(5)
    void pikaPublishesConsumesAndGetsAcrossNodes() throws Exception {
        PikaTest.Result r = PikaTest.run(List.of(PikaTest.python(),
                PikaTest.scriptDir().resolve("cluster").resolve("cross_node.py").toString(),
                Integer.toString(cluster.node(1).port()), Integer.toString(cluster.node(2).port()),
                Integer.toString(cluster.node(3).port())));
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    @Order(6)
    void aLinkWithoutTheSecretIsRefused() throws Exception {
        // n1 sorts before n2, so n2 accepts n1's link: pretend to be n1 without the secret
        try (Socket s = new Socket("127.0.0.1", cluster.dataPort(2))) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] nonce = new byte[32];
            frame(out, 1, shortStr("n1"), bytes(nonce)); // Hello
            int len = in.readInt();
            assertTrue(len > 0 && len < 1024, "a challenge of " + len + " bytes");
            byte[] challenge = in.readNBytes(len);
            assertEquals(2, challenge[0], "Challenge");
            frame(out, 3, bytes(new byte[32])); // a Proof made without the secret
            assertThrows(EOFException.class, in::readInt, "the node closes the link");
        }
        // a name that is not a member is refused at once
        try (Socket s = new Socket("127.0.0.1", cluster.dataPort(3))) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            frame(out, 1, shortStr("intruder"), bytes(new byte[32]));
            assertThrows(EOFException.class, () -> new DataInputStream(s.getInputStream()).readInt());
        }
        // and the real links still work
        declareOn(2, "after-intruders");
        try (Connection c1 = connect(1); Channel ch = c1.createChannel()) {
            ch.confirmSelect();
            ch.basicPublish("", "after-intruders", null, "ok".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
            assertEquals("ok", new String(ch.basicGet("after-intruders", true).getBody(), StandardCharsets.UTF_8));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private record Delivered(long tag, String body, AMQP.BasicProperties props, boolean redelivered) {
    }

    private static BlockingQueue<Delivered> consume(Channel ch, String queue) throws IOException {
        BlockingQueue<Delivered> got = new LinkedBlockingQueue<>();
        ch.basicConsume(queue, false, (tag, d) -> got.add(new Delivered(d.getEnvelope().getDeliveryTag(),
                new String(d.getBody(), StandardCharsets.UTF_8), d.getProperties(), d.getEnvelope().isRedeliver())),
                tag -> { });
        return got;
    }

    /** Declares a durable queue on node {@code home} (it lives there) and waits until every node reaches it. */
    private static void declareOn(int home, String queue) throws Exception {
        try (Connection c = connect(home); Channel ch = c.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
        }
        for (int n = 1; n <= 3; n++) {
            try (Connection c = connect(n)) {
                await(() -> refusal(c, ch -> ch.queueDeclarePassive(queue)) == null);
            }
        }
    }

    private interface ChannelCall {
        void run(Channel ch) throws IOException;
    }

    /** Runs a call on a fresh channel: null if it succeeded, else the channel error's reply text. */
    private static String refusal(Connection c, ChannelCall call) throws IOException {
        Channel ch = c.createChannel();
        try {
            call.run(ch);
            ch.close();
            return null;
        } catch (IOException e) {
            ShutdownSignalException s = (ShutdownSignalException) e.getCause();
            return ((AMQP.Channel.Close) s.getReason()).getReplyText();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    private static Connection connect(int node) throws Exception {
        return cluster.connect(node);
    }

    /** Polls with a deadline: a node's view of another (link up or down) has no event a client can wait on. */
    private static void await(Callable<Boolean> condition) throws Exception {
        Await.until("the node's view of its peers", java.time.Duration.ofMillis(WAIT_MS), condition);
    }

    private static byte[] shortStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) b.length;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    private static byte[] bytes(byte[] b) {
        byte[] out = new byte[b.length + 4];
        out[3] = (byte) b.length;
        System.arraycopy(b, 0, out, 4, b.length);
        return out;
    }

    private static void frame(DataOutputStream out, int type, byte[]... fields) throws IOException {
        int len = 1;
        for (byte[] f : fields) {
            len += f.length;
        }
        out.writeInt(len);
        out.writeByte(type);
        for (byte[] f : fields) {
            out.write(f);
        }
        out.flush();
    }
}
